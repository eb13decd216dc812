/**
 * The widget's API layer: openapi-fetch typed from openapi/openapi.yaml. The widget token lives in this
 * module's memory only (never storage, a URL or a cookie) and goes in the X-Widget-Token header.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type WidgetThread = components['schemas']['WidgetThread'];
export type WidgetMessage = components['schemas']['WidgetMessage'];

let widgetToken: string | undefined;
let onUnauthorized: (() => void) | undefined;

export const client = createClient<paths>({ baseUrl: location.origin });

const auth: Middleware = {
  onRequest({ request }) {
    if (widgetToken) request.headers.set('X-Widget-Token', widgetToken);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && widgetToken) {
      widgetToken = undefined;
      onUnauthorized?.();
    }
    return response;
  },
};
client.use(auth);

export const hasSession = () => widgetToken !== undefined;
/** The widget token, for the live WebSocket's handshake (a subprotocol: never a URL). */
export const currentWidgetToken = () => widgetToken;
export const whenUnauthorized = (fn: () => void) => {
  onUnauthorized = fn;
};

/** Exchanges the host's end-user token for a widget token, kept in memory. */
export async function openSession(workspaceId: string, token: string) {
  const { data, error } = await client.POST('/v1/widget/session', { body: { workspaceId, token } });
  if (error || !data) throw new Error(error?.error.message ?? 'session refused');
  widgetToken = data.widgetToken;
  return data;
}

export const newClientMessageId = () => crypto.randomUUID().replace(/-/g, '');

/**
 * Attaches a file: asks Go!Chat for a presigned POST (type and size are checked there), then posts the
 * form to the bucket (the fields first, the file last). Answers the uploadId for the message.
 */
export async function uploadFile(file: File): Promise<string> {
  const { data, error } = await client.POST('/v1/widget/uploads', {
    body: { filename: file.name, contentType: file.type || 'application/octet-stream', size: file.size },
  });
  if (!data) throw new Error(error?.error.message ?? 'upload refused');
  const form = new FormData();
  for (const [k, v] of Object.entries(data.fields)) form.append(k, v);
  form.append('file', file);
  const res = await fetch(data.url, { method: 'POST', body: form });
  if (!res.ok) throw new Error(`upload failed (${res.status})`);
  return data.uploadId;
}

/**
 * Opens an attachment: asks Go!Chat for a short-lived presigned GET, then follows it with a link click.
 * The bucket answers with Content-Disposition: attachment, so the browser saves the file and the frame
 * stays where it is. Called from a click, so the browser lets the frame start a download.
 */
export async function downloadAttachment(threadId: string, attachmentId: string) {
  const { data, error } = await client.GET('/v1/widget/threads/{threadId}/attachments/{attachmentId}', {
    params: { path: { threadId, attachmentId } },
  });
  if (!data) throw new Error(error?.error.message ?? 'download refused');
  const link = document.createElement('a');
  link.href = data.url;
  link.rel = 'noopener';
  link.download = data.filename;
  link.click();
}
