import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import { bytes } from '../../../design/format.ts';
import { api, idempotencyKey, type Schemas, type Thread, unwrap } from '../api/client.ts';
import { customerQueries } from '../customers/queries.ts';
import { t } from '../i18n/index.ts';
import { sendTyping } from '../live/index.ts';
import { templateQueries, useTemplatePreview, useTemplates } from '../templates/index.ts';
import { Button } from '../ui/index.ts';
import { threadQueries } from './queries.ts';
import { useDraft } from './use-draft.ts';

/** The rich text editor (TipTap) loads when the composer first opens, not with the Inbox. */
const RichEditor = lazy(() => import('./rich-editor.tsx').then((m) => ({ default: m.RichEditor })));

type StatusAfter = NonNullable<Schemas['MessageRequest']['status']>;
type Outbound = Schemas['OutboundAttachment'];
type Channel = 'chat' | 'email';

/** The answer's default channel: the customer's last message's (an API message is answered on its chat path). */
export function defaultChannel(thread: Thread): Channel {
  return thread.lastCustomerChannel === 'chat' || thread.lastCustomerChannel === 'api' ? 'chat' : 'email';
}

/** The addresses of an `<input type="email" multiple>`: comma separated. */
function addresses(value: string): string[] {
  return value
    .split(/[,;\s]+/)
    .map((a) => a.trim().toLowerCase())
    .filter(Boolean);
}

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
    queries: thread.customerIds.map((customerId) => customerQueries.contacts(customerId)),
  });
  const byEmail = new Map<string, Schemas['Contact']>();
  for (const r of results) for (const c of r.data ?? []) byEmail.set(c.email.toLowerCase(), c);
  return [...byEmail.values()];
}

/**
 * "New message": Chat or Email (by default the channel of the customer's last message), recipients among
 * the thread's customers' contacts, CC/BCC and the quote of the last message for email, a template
 * (previewed with its variables) or a text, attachments, and the status after sending. The draft is sent
 * through its send route (idempotent by the draft); a send with BCC or without the quote, which a draft
 * cannot carry, goes through the messages route with one Idempotency-Key per composer, so a retried send
 * never sends twice.
 */
export function Composer({ thread, onClose }: { thread: Thread; onClose: () => void }) {
  const id = useId();
  const contacts = useThreadContacts(thread);
  const templates = useTemplates();
  const [to, setTo] = useState<string[]>(thread.latestContact ? [thread.latestContact.email.toLowerCase()] : []);
  const [channel, setChannel] = useState<Channel>(() => defaultChannel(thread));
  const [cc, setCc] = useState('');
  const [bcc, setBcc] = useState('');
  const [quote, setQuote] = useState(true);
  const key = useRef(idempotencyKey());
  const [templateId, setTemplateId] = useState('');
  const [text, setText] = useState('');
  const [html, setHtml] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [status, setStatus] = useState<'' | StatusAfter>('');
  const draft = useDraft(thread.threadId);
  const restored = useRef(false);
  // The rich editor starts once the draft was read (from its text), not before.
  const [editorReady, setEditorReady] = useState(false);
  // A draft left on this thread (another tab, a reload) comes back as it was.
  useEffect(() => {
    const d = draft.loaded;
    if (d !== undefined) setEditorReady(true);
    if (!d || restored.current) return;
    restored.current = true;
    if (d.to?.length) setTo(d.to.map((a) => a.toLowerCase()));
    if (d.cc?.length) {
      setCc(d.cc.join(', '));
      setChannel('email');
    }
    if (d.text) setText(d.text);
    if (d.html) setHtml(d.html);
    if (d.templateId) setTemplateId(d.templateId);
  }, [draft.loaded]);
  const email = channel === 'email';
  const edit = (fields: {
    to?: string[];
    cc?: string;
    text?: string;
    html?: string;
    templateId?: string;
    channel?: Channel;
  }) =>
    draft.change({
      // The HTML is the email's: a chat answer is its text.
      html: (fields.channel ?? channel) === 'email' ? (fields.html ?? html) : '',
      to: fields.to ?? to,
      // A draft with CC goes by email: CC is kept only while the answer is an email.
      cc: (fields.channel ?? channel) === 'email' ? addresses(fields.cc ?? cc) : [],
      text: fields.text ?? text,
      templateId: fields.templateId ?? templateId,
    });
  const preview = useTemplatePreview(templateId || undefined, {
    threadId: thread.threadId,
    ...(to[0] ? { to: to[0] } : {}),
  });
  const qc = useQueryClient();
  const send = useMutation({
    mutationFn: async () => {
      const attachments = email ? await Promise.all(files.map(toAttachment)) : [];
      const copies = email ? addresses(cc) : [];
      const blind = email ? addresses(bcc) : [];
      const content = templateId ? { to, templateId } : { to, text, ...(email && html ? { html } : {}) };
      const after = {
        ...(attachments.length ? { attachments } : {}),
        ...(status ? { status } : {}),
      };
      if (email && (blind.length || !quote)) {
        // What a draft cannot carry (BCC, no quote): the message itself, then the draft is dropped.
        const message = unwrap(
          await api.POST('/v1/threads/{threadId}/messages', {
            params: { path: { threadId: thread.threadId }, header: { 'Idempotency-Key': key.current } as never },
            body: {
              ...content,
              ...after,
              channel,
              quote,
              ...(copies.length ? { cc: copies } : {}),
              ...(blind.length ? { bcc: blind } : {}),
            },
          }),
        );
        await draft.discard();
        return message;
      }
      // The draft is the message: its last edit is saved, then the draft is sent (idempotent by the draft).
      return draft.send({ ...content, cc: copies }, { ...after, channel });
    },
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: threadQueries.feed(thread.threadId).queryKey });
      qc.invalidateQueries({ queryKey: threadQueries.one(thread.threadId).queryKey });
      qc.invalidateQueries({ queryKey: threadQueries.lists() });
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
      <h3 id={`${id}-title`}>{t('composer.title')}</h3>
      {closed && <p className="notice">{t('composer.closed')}</p>}
      <fieldset className="channel">
        <legend>{t('composer.channel')}</legend>
        {(['chat', 'email'] as const).map((c) => (
          <label key={c} className="check">
            <input
              type="radio"
              name={`${id}-channel`}
              value={c}
              checked={channel === c}
              onChange={() => {
                setChannel(c);
                edit({ channel: c });
              }}
            />
            {c === 'chat' ? t('composer.chat') : t('composer.email')}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('composer.recipients')}</legend>
        {contacts.length === 0 && <p className="field-hint">{t('composer.noContacts')}</p>}
        {contacts.map((c) => {
          const email = c.email.toLowerCase();
          return (
            <label key={c.contactId} className="check">
              <input
                type="checkbox"
                checked={to.includes(email)}
                onChange={(e) => {
                  const next = e.target.checked ? [...to, email] : to.filter((x) => x !== email);
                  setTo(next);
                  edit({ to: next });
                }}
              />
              {c.name ? `${c.name} <${c.email}>` : c.email}
              {c.failing && <span className="field-error"> {t('details.failing')}</span>}
            </label>
          );
        })}
      </fieldset>
      {email && (
        <>
          <label>
            {t('composer.cc')}
            <input
              type="email"
              multiple
              value={cc}
              onChange={(e) => {
                setCc(e.target.value);
                edit({ cc: e.target.value });
              }}
            />
          </label>
          <label>
            {t('composer.bcc')}
            <input type="email" multiple value={bcc} onChange={(e) => setBcc(e.target.value)} />
          </label>
        </>
      )}
      <label>
        {t('composer.template')}
        <select
          value={templateId}
          onChange={(e) => {
            setTemplateId(e.target.value);
            edit({ templateId: e.target.value });
          }}
        >
          <option value="">{t('composer.noTemplate')}</option>
          {templates.data?.map((t) => (
            <option key={t.templateId} value={t.templateId}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      {templateId ? (
        <section className="preview" aria-label={t('composer.preview')}>
          {preview.isLoading && <p>{t('composer.rendering')}</p>}
          {preview.isError && <p role="alert">{preview.error.message}</p>}
          {preview.data && (
            <>
              {preview.data.subject && <p className="subject">{preview.data.subject}</p>}
              <div className="body">{preview.data.text}</div>
              <dl className="variables" aria-label={t('composer.variables')}>
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
        <PlainOrRich
          rich={email && editorReady}
          text={text}
          html={html}
          templates={templates.data ?? []}
          renderTemplate={async (template) =>
            (
              await qc.fetchQuery(
                templateQueries.preview(template.templateId, {
                  threadId: thread.threadId,
                  ...(to[0] ? { to: to[0] } : {}),
                }),
              )
            ).text
          }
          onChange={(nextText, nextHtml) => {
            sendTyping(thread.threadId); // the answer box only (never the comment bar): the widget shows it
            setText(nextText);
            setHtml(nextHtml);
            edit({ text: nextText, html: nextHtml });
          }}
        />
      )}
      {email && (
        <>
          <label className="check">
            <input type="checkbox" checked={quote} onChange={(e) => setQuote(e.target.checked)} />
            {t('composer.quote')}
          </label>
          <label>
            {t('composer.attachments')}
            <input
              type="file"
              multiple
              onChange={(e) => setFiles([...(e.target.files ?? [])].slice(0, MAX_ATTACHMENTS))}
            />
          </label>
        </>
      )}
      {email && files.length > 0 && (
        <ul className="attachments">
          {files.map((f) => (
            <li key={f.name}>
              {f.name} <span className="size">{bytes(f.size)}</span>
            </li>
          ))}
        </ul>
      )}
      <label>
        {t('composer.statusAfter')}
        <select value={status} onChange={(e) => setStatus(e.target.value as '' | StatusAfter)}>
          <option value="">{t('composer.statusDefault')}</option>
          <option value="keep">{t('composer.statusKeep')}</option>
          <option value="open">{t('status.open')}</option>
          <option value="waiting">{t('status.waiting')}</option>
          <option value="closed">{t('status.closed')}</option>
        </select>
      </label>
      <p className="field-hint">{email ? t('composer.finalEmail') : t('composer.finalChat')}</p>
      {send.isError && (
        <p role="alert" className="error">
          {t('composer.notSent', { message: send.error.message })}
        </p>
      )}
      <div className="actions">
        <Button type="submit" variant="primary" disabled={!ready || send.isPending}>
          {send.isPending ? t('composer.sending') : t('composer.send')}
        </Button>
        <Button
          variant="ghost"
          onClick={() => {
            draft.discard().finally(onClose);
          }}
        >
          {t('composer.discard')}
        </Button>
        <span role="status" className="hint">
          {draft.saved === 'saving'
            ? t('composer.saving')
            : draft.saved === 'saved'
              ? t('composer.saved')
              : draft.saved === 'error'
                ? t('composer.saveError')
                : ''}
        </span>
      </div>
    </form>
  );
}

/**
 * The message: rich text for an email (the editor's chunk loads on demand, the plain box stands in until it
 * has), plain text for a chat answer. The rich editor mounts once the draft was read, so that it starts
 * from the draft's text.
 */
function PlainOrRich({
  rich,
  text,
  html,
  templates,
  renderTemplate,
  onChange,
}: {
  rich: boolean;
  text: string;
  html: string;
  templates: Schemas['Template'][];
  renderTemplate: (template: Schemas['Template']) => Promise<string>;
  onChange: (text: string, html: string) => void;
}) {
  const plain = (
    <label>
      {t('composer.message')}
      <textarea rows={6} value={text} onChange={(e) => onChange(e.target.value, '')} />
    </label>
  );
  if (!rich) return plain;
  return (
    <Suspense fallback={plain}>
      <div className="field">
        <span className="field-label">{t('composer.message')}</span>
        <RichEditor
          label={t('composer.message')}
          initialText={text}
          initialHtml={html}
          templates={templates}
          renderTemplate={renderTemplate}
          onChange={(h, x) => onChange(x, h)}
        />
        <span className="field-hint">{t('composer.cannedHint')}</span>
      </div>
    </Suspense>
  );
}
