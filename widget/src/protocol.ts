/**
 * The messages between the host page (the loader) and the frame. Each side posts only to the other's
 * exact origin and accepts only messages whose origin and source are the other's.
 */
export type ToFrame = { type: 'gochat:token'; token: string } | { type: 'gochat:visibility'; open: boolean };

export type ToHost =
  | { type: 'gochat:ready' }
  | { type: 'gochat:token-request' }
  | { type: 'gochat:unread'; count: number }
  | { type: 'gochat:close' };

export const isMessage = (data: unknown): data is { type: string } =>
  typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string';
