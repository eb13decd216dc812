import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { api, idempotencyKey, type Schemas, type Thread, unwrap } from '../api/client.ts';
import { customersKey } from '../customers/use-customers.ts';
import { useTemplatePreview, useTemplates } from '../templates/use-templates.ts';
import { bytes } from '../ui/format.ts';
import { feedKey, threadKey } from './use-thread.ts';

type StatusAfter = NonNullable<Schemas['MessageRequest']['status']>;
type Outbound = Schemas['OutboundAttachment'];

/** The same limits as the API's (MessageFields): 10 attachments. */
const MAX_ATTACHMENTS = 10;

async function toAttachment(file: File): Promise<Outbound> {
  const buf = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return { filename: file.name, contentType: file.type || 'application/octet-stream', contentBase64: btoa(bin) };
}

/** The contacts of the thread's customers: the only addresses a message may go to. */
function useThreadContacts(thread: Thread) {
  const results = useQueries({
    queries: thread.customerIds.map((customerId) => ({
      queryKey: [...customersKey, customerId, 'contacts'],
      queryFn: async () =>
        unwrap(
          await api.GET('/v1/customers/{customerId}/contacts', {
            params: { path: { customerId }, query: { limit: 100 } },
          }),
        ).items,
    })),
  });
  const byEmail = new Map<string, Schemas['Contact']>();
  for (const r of results) for (const c of r.data ?? []) byEmail.set(c.email.toLowerCase(), c);
  return [...byEmail.values()];
}

/**
 * "New message": recipients among the thread's customers' contacts, a template (previewed with its
 * variables) or a text, attachments, and the status after sending. One Idempotency-Key per message, so a
 * retried send never sends twice.
 */
export function Composer({ thread, onClose }: { thread: Thread; onClose: () => void }) {
  const id = useId();
  const contacts = useThreadContacts(thread);
  const templates = useTemplates();
  const [to, setTo] = useState<string[]>(thread.latestContact ? [thread.latestContact.email.toLowerCase()] : []);
  const [templateId, setTemplateId] = useState('');
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [status, setStatus] = useState<'' | StatusAfter>('');
  const key = useRef(idempotencyKey());
  const preview = useTemplatePreview(templateId || undefined, {
    threadId: thread.threadId,
    ...(to[0] ? { to: to[0] } : {}),
  });
  const qc = useQueryClient();
  const send = useMutation({
    mutationFn: async () => {
      const attachments = await Promise.all(files.map(toAttachment));
      const body: Schemas['MessageRequest'] = {
        ...(to.length ? { to } : {}),
        ...(templateId ? { templateId } : { text }),
        ...(attachments.length ? { attachments } : {}),
        ...(status ? { status } : {}),
      };
      return unwrap(
        await api.POST('/v1/threads/{threadId}/messages', {
          params: { path: { threadId: thread.threadId }, header: { 'Idempotency-Key': key.current } as never },
          body,
        }),
      );
    },
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: feedKey(thread.threadId) });
      qc.invalidateQueries({ queryKey: threadKey(thread.threadId) });
      qc.invalidateQueries({ queryKey: ['threads', 'list'] });
      onClose();
    },
  });
  const closed = thread.status === 'closed';
  const ready = to.length > 0 && (templateId ? true : text.trim().length > 0) && !closed;

  return (
    <form
      className="composer"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) send.mutate();
      }}
    >
      <h3 id={`${id}-title`}>New message</h3>
      {closed && <p className="notice">This thread is closed: reopen it to send a message.</p>}
      <fieldset>
        <legend>Recipients</legend>
        {contacts.length === 0 && <p className="hint">The thread's customers have no contacts.</p>}
        {contacts.map((c) => {
          const email = c.email.toLowerCase();
          return (
            <label key={c.contactId} className="check">
              <input
                type="checkbox"
                checked={to.includes(email)}
                onChange={(e) => setTo(e.target.checked ? [...to, email] : to.filter((x) => x !== email))}
              />
              {c.name ? `${c.name} <${c.email}>` : c.email}
              {c.failing && <span className="flag"> failing</span>}
            </label>
          );
        })}
      </fieldset>
      <label>
        Template
        <select value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
          <option value="">No template</option>
          {templates.data?.map((t) => (
            <option key={t.templateId} value={t.templateId}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      {templateId ? (
        <section className="preview" aria-label="Preview">
          {preview.isLoading && <p>Rendering the preview…</p>}
          {preview.isError && <p role="alert">{preview.error.message}</p>}
          {preview.data && (
            <>
              {preview.data.subject && <p className="subject">{preview.data.subject}</p>}
              <div className="body">{preview.data.text}</div>
              <dl className="variables" aria-label="Variables">
                {Object.entries(preview.data.variables).map(([k, v]) => (
                  <div key={k}>
                    <dt>{k}</dt>
                    <dd>{String(v)}</dd>
                  </div>
                ))}
              </dl>
            </>
          )}
        </section>
      ) : (
        <label>
          Message
          <textarea rows={6} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      )}
      <label>
        Attachments
        <input type="file" multiple onChange={(e) => setFiles([...(e.target.files ?? [])].slice(0, MAX_ATTACHMENTS))} />
      </label>
      {files.length > 0 && (
        <ul className="attachments">
          {files.map((f) => (
            <li key={f.name}>
              {f.name} <span className="size">{bytes(f.size)}</span>
            </li>
          ))}
        </ul>
      )}
      <label>
        Status after sending
        <select value={status} onChange={(e) => setStatus(e.target.value as '' | StatusAfter)}>
          <option value="">Reminder cycle (default)</option>
          <option value="keep">Keep the current status</option>
          <option value="open">Open</option>
          <option value="waiting">Waiting</option>
          <option value="closed">Closed</option>
        </select>
      </label>
      {send.isError && (
        <p role="alert" className="error">
          Not sent: {send.error.message}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={!ready || send.isPending}>
          {send.isPending ? 'Sending…' : 'Send'}
        </button>
        <button type="button" onClick={onClose}>
          Discard
        </button>
      </div>
    </form>
  );
}
