/**
 * The Go!Chat widget loader: `<script src="https://<gochat>/widget/widget.js" data-workspace="<id>"
 * data-token-url="/your/endpoint">`. It adds a launcher button (with the unread badge) and an iframe
 * served by Go!Chat. The end user's token comes from the host's back end (`data-token-url`, fetched with
 * the page's own cookies, answering `{ "token": "<JWT>" }`, or `GoChatWidget.setTokenProvider(fn)`),
 * and goes to the frame by postMessage to Go!Chat's exact origin, never in a URL.
 */
import { isMessage, type ToFrame } from '../protocol.ts';

type TokenProvider = () => Promise<string>;

const script = document.currentScript as HTMLScriptElement | null;
const workspace = script?.dataset.workspace ?? '';
const tokenUrl = script?.dataset.tokenUrl;
const frameOrigin = new URL(script?.src ?? location.href).origin;
let provider: TokenProvider | undefined = tokenUrl
  ? async () => {
      const res = await fetch(tokenUrl, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
      return String(((await res.json()) as { token?: unknown }).token ?? '');
    }
  : undefined;

const root = document.createElement('div');
root.id = 'gochat-widget';
root.innerHTML =
  '<style>#gochat-widget{position:fixed;right:20px;bottom:20px;z-index:2147483000;font:14px system-ui,sans-serif}' +
  '#gochat-widget button.gcw-launch{position:relative;border:0;border-radius:28px;padding:14px 20px;background:#1f4fd6;color:#fff;font:inherit;cursor:pointer;box-shadow:0 2px 8px #0004}' +
  '#gochat-widget .gcw-badge{position:absolute;top:-6px;right:-6px;min-width:20px;padding:2px 6px;border-radius:10px;background:#d62b1f;color:#fff;font-size:12px}' +
  '#gochat-widget iframe{display:block;width:370px;height:560px;max-height:80vh;border:0;border-radius:12px;box-shadow:0 4px 24px #0005;margin-bottom:12px;background:#fff}' +
  '#gochat-widget [hidden]{display:none!important}</style>' +
  '<iframe title="Support chat" hidden></iframe>' +
  '<button type="button" class="gcw-launch" aria-expanded="false">Support<span class="gcw-badge" hidden></span></button>';
const frame = root.querySelector('iframe') as HTMLIFrameElement;
const launcher = root.querySelector('button') as HTMLButtonElement;
const badge = root.querySelector('.gcw-badge') as HTMLSpanElement;
frame.src = `${frameOrigin}/v1/widget/frame/${encodeURIComponent(workspace)}`;

const post = (message: ToFrame) => frame.contentWindow?.postMessage(message, frameOrigin);

async function sendToken() {
  if (!provider) return;
  try {
    post({ type: 'gochat:token', token: await provider() });
  } catch (e) {
    console.warn('Go!Chat widget: no end-user token', e);
  }
}

function setOpen(open: boolean) {
  frame.hidden = !open;
  launcher.setAttribute('aria-expanded', String(open));
  post({ type: 'gochat:visibility', open });
}

function setUnread(count: number) {
  badge.hidden = count <= 0;
  badge.textContent = count > 99 ? '99+' : String(count);
  launcher.setAttribute('aria-label', count > 0 ? `Support, ${count} unread` : 'Support');
  root.dispatchEvent(new CustomEvent('gochat:unread', { detail: { count }, bubbles: true }));
}

window.addEventListener('message', (event) => {
  // Only the frame, from Go!Chat's exact origin: any other window or origin is ignored.
  if (event.source !== frame.contentWindow || event.origin !== frameOrigin || !isMessage(event.data)) return;
  const data = event.data as { type: string; count?: unknown };
  if (data.type === 'gochat:ready' || data.type === 'gochat:token-request') void sendToken();
  else if (data.type === 'gochat:unread' && typeof data.count === 'number') setUnread(data.count);
  else if (data.type === 'gochat:close') setOpen(false);
});
launcher.addEventListener('click', () => setOpen(frame.hidden));
setUnread(0);

function mount() {
  document.body.appendChild(root);
}
if (document.body) mount();
else document.addEventListener('DOMContentLoaded', mount);

/** For hosts that get the token their own way. */
(window as unknown as { GoChatWidget: unknown }).GoChatWidget = {
  setTokenProvider(fn: TokenProvider) {
    provider = fn;
    void sendToken();
  },
  open: () => setOpen(true),
  close: () => setOpen(false),
};
