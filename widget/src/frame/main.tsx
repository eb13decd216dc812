import { render } from 'preact';
import { App } from './app.tsx';
import './frame.css';

const root = document.getElementById('app') as HTMLElement;
const config = JSON.parse(root.dataset.config ?? '{}') as {
  workspaceId: string;
  allowedOrigins: string[];
  /** The live WebSocket (docs/live.md, "End users"), when the deployment has one. */
  liveUrl?: string;
};

/** The host page's exact origin: only if the workspace's settings allow it (CSP frame-ancestors does too). */
function parentOrigin(): string | null {
  const ancestors = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  const candidate = ancestors?.length ? ancestors[0] : document.referrer ? new URL(document.referrer).origin : null;
  return candidate && config.allowedOrigins.includes(candidate) ? candidate : null;
}

render(<App workspaceId={config.workspaceId} hostOrigin={parentOrigin()} liveUrl={config.liveUrl} />, root);
