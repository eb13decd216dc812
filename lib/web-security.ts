/**
 * The security headers of the Inbox web app, in one place: CloudFront's response headers policy
 * (lib/web-hosting.ts) and the local web server (lib/local/web-server.ts) send the very same ones.
 */

export interface ContentSecurityPolicyInput {
  /** Origins the app may call besides its own: Cognito's endpoint, the live updates' WebSocket. */
  connect?: string[];
}

/**
 * No inline script and nothing from elsewhere (script-src 'self'); never framed (frame-ancestors 'none').
 * Styles allow 'unsafe-inline' because mail HTML, shown in a sandboxed srcdoc frame that inherits this
 * policy, carries its styles inline. Images allow https: for the remote images an agent asks to see.
 */
export function contentSecurityPolicy(input: ContentSecurityPolicyInput = {}): string {
  const connect = ["'self'", ...(input.connect ?? [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const HSTS_SECONDS = 2 * 365 * 24 * 3600;

/** Every header but the CSP, as name → value. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Strict-Transport-Security': `max-age=${HSTS_SECONDS}; includeSubDomains; preload`,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
