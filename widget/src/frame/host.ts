/** The frame's side of the postMessage protocol: exact origin both ways, and only the parent window. */
import { isMessage, type ToFrame, type ToHost } from '../protocol.ts';

export function toHost(origin: string, message: ToHost) {
  window.parent.postMessage(message, origin);
}

export function fromHost(origin: string, handle: (message: ToFrame) => void): () => void {
  const listener = (event: MessageEvent) => {
    // A message from any other origin or window (another frame, a popup, the page's own scripts via a
    // foreign iframe) is ignored.
    if (event.source !== window.parent || event.origin !== origin || !isMessage(event.data)) return;
    handle(event.data as ToFrame);
  };
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}
