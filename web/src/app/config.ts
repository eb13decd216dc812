/** Runtime configuration, served next to the app as /config.json (by the local web server, or by CDK on AWS). */
export interface AppConfig {
  /** Cognito's API: `https://cognito-idp.<region>.amazonaws.com/`, or a same-origin path locally. */
  cognitoEndpoint?: string;
  cognitoClientId?: string;
  /** The WebSocket of live updates (docs/live.md). */
  liveUrl?: string;
  /** The workspace to open when the agent belongs to several. */
  defaultWorkspaceId?: string;
}

let config: AppConfig = {};

export async function loadConfig(): Promise<AppConfig> {
  const res = await fetch('/config.json', { cache: 'no-store' }).catch(() => undefined);
  config = res?.ok ? ((await res.json()) as AppConfig) : {};
  return config;
}

export const appConfig = () => config;
