import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import { bytes } from '../../../design/format.ts';
import type { Schemas, Thread } from '../api/client.ts';
import { customerQueries } from '../customers/queries.ts';
import { t } from '../i18n/index.ts';
import { sendTyping } from '../live/index.ts';
import { templateQueries, useTemplatePreview, useTemplates } from '../templates/index.ts';
import { Button } from '../ui/index.ts';
import { threadQueries } from './queries.ts';
import type { InlineImages } from './rich-editor.tsx';
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

/** The same limits as the API's (MessageFields): 10 files, at most 7 MB of them together (decoded). */
export const MAX_ATTACHMENTS = 10;
export const MAX_FILE_BYTES = 7 * 1024 * 1024;

async function base64Of(file: Blob): Promise<string> {
  const buf = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return btoa(bin);
}

async function toAttachment(file: File, contentId?: string): Promise<Outbound> {
  return {
    filename: file.name,
    contentType: file.type || 'application/octet-stream',
    contentBase64: await base64Of(file),
    ...(contentId ? { contentId } : {}),
  };
}

/** The `cid:` sources of the images an HTML names. */
export function cidsOf(html: string): string[] {
  return [...html.matchAll(/<img\b[^>]*\bsrc="cid:([^"]+)"/g)].map((m) => m[1] ?? '');
}

/** The HTML without its inline (`cid:`) images: a restored draft's, whose files stayed in another composer. */
export function withoutInlineImages(html: string): string {
  return html.replace(/<img\b[^>]*\bsrc="cid:[^"]*"[^>]*>/g, '');
}

/**
 * The pasted and dropped images of one composer: each file gets a `contentId` (the mail's `cid:`) and a
 * `data:` preview for the editor (the Inbox's CSP allows `data:` images, not `blob:`). The files' budget
 * (count and bytes, with the attachments and the images still in the text) is checked before one is taken.
 */
function useInlineImages(attachments: File[], html: string) {
  const held = useRef(new Map<string, { file: File; preview: string }>());
  /** The images the text still shows (one deleted in the editor does not go), each with its contentId. */
  const inText = (current: string) =>
    [...new Set(cidsOf(current))].flatMap((cid) => {
      const image = held.current.get(cid);
      return image ? [{ file: image.file, cid }] : [];
    });
  const images: InlineImages = {
    async add(files) {
      const notImage = files.find((f) => !f.type.startsWith('image/'));
      if (notImage) return { error: t('composer.notImage', { name: notImage.name }) };
      const error = budgetError([...attachments, ...inText(html).map((i) => i.file), ...files]);
      if (error) return { error };
      const out = [];
      for (const file of files) {
        const contentId = `${crypto.randomUUID()}@inline`;
        const preview = `data:${file.type};base64,${await base64Of(file)}`;
        held.current.set(contentId, { file, preview });
        out.push({ src: `cid:${contentId}`, alt: file.name });
      }
      return { images: out };
    },
    preview: (src) => held.current.get(src.replace(/^cid:/, ''))?.preview,
  };
  return { images, inText };
}

/** Why these files cannot go with one message (too many, too large together), or ''. */
export function budgetError(files: Array<{ size: number }>): string {
  if (files.length > MAX_ATTACHMENTS) return t('composer.tooMany', { limit: MAX_ATTACHMENTS });
  const total = files.reduce((n, f) => n + f.size, 0);
  if (total > MAX_FILE_BYTES) return t('composer.tooLarge', { size: bytes(total), limit: bytes(MAX_FILE_BYTES) });
  return '';
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
 * (previewed with its variables) or a text, pasted images (inline) and attachments, and the status after
 * sending. Everything is a draft, saved as the agent types, and sent through the draft's send route
 * (idempotent by the draft, so a retried send never sends twice).
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
  const [templateId, setTemplateId] = useState('');
  const [text, setText] = useState('');
  const [html, setHtml] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const inline = useInlineImages(files, html);
  const [fileError, setFileError] = useState('');
  const [imagesDropped, setImagesDropped] = useState(false);
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
    if (d.cc?.length || d.bcc?.length) setChannel('email');
    if (d.cc?.length) setCc(d.cc.join(', '));
    if (d.bcc?.length) setBcc(d.bcc.join(', '));
    if (d.quote === false) setQuote(false);
    if (d.text) setText(d.text);
    if (d.html) {
      // The files of pasted images stay in the composer that took them: a reload keeps the text only.
      const kept = withoutInlineImages(d.html);
      if (kept !== d.html) setImagesDropped(true);
      setHtml(kept);
    }
    if (d.templateId) setTemplateId(d.templateId);
  }, [draft.loaded]);
  const email = channel === 'email';
  const edit = (fields: {
    to?: string[];
    cc?: string;
    bcc?: string;
    quote?: boolean;
    text?: string;
    html?: string;
    templateId?: string;
    channel?: Channel;
  }) => {
    const mail = (fields.channel ?? channel) === 'email';
    draft.change({
      // The HTML is the email's: a chat answer is its text.
      html: mail ? (fields.html ?? html) : '',
      to: fields.to ?? to,
      // A draft with CC or BCC goes by email: they are kept only while the answer is an email.
      cc: mail ? addresses(fields.cc ?? cc) : [],
      bcc: mail ? addresses(fields.bcc ?? bcc) : [],
      // The quote is the email's; kept only when dropped (true is the default).
      ...(mail && !(fields.quote ?? quote) ? { quote: false } : {}),
      text: fields.text ?? text,
      templateId: fields.templateId ?? templateId,
    });
  };
  const preview = useTemplatePreview(templateId || undefined, {
    threadId: thread.threadId,
    ...(to[0] ? { to: to[0] } : {}),
  });
  const qc = useQueryClient();
  const send = useMutation({
    mutationFn: async () => {
      const rich = email && !templateId && html ? html : '';
      // The images still in the text go as inline parts (`cid:`); the others were deleted in the editor.
      const pasted = inline.inText(rich);
      const refused = email ? budgetError([...files, ...pasted.map((p) => p.file)]) : '';
      if (refused) throw new Error(refused);
      const attachments = email
        ? await Promise.all([...files.map((f) => toAttachment(f)), ...pasted.map((p) => toAttachment(p.file, p.cid))])
        : [];
      const content = templateId ? { to, templateId } : { to, text, ...(rich ? { html: rich } : {}) };
      // The draft is the message: its last edit (BCC and the quote included) is saved, then the draft is
      // sent through its send route (idempotent by the draft).
      return draft.send(
        {
          ...content,
          cc: email ? addresses(cc) : [],
          bcc: email ? addresses(bcc) : [],
          ...(email && !quote ? { quote: false } : {}),
        },
        { ...(attachments.length ? { attachments } : {}), ...(status ? { status } : {}), channel },
      );
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
          <AddressesField
            label={t('composer.cc')}
            value={cc}
            onChange={(v) => {
              setCc(v);
              edit({ cc: v });
            }}
          />
          <AddressesField
            label={t('composer.bcc')}
            value={bcc}
            onChange={(v) => {
              setBcc(v);
              edit({ bcc: v });
            }}
          />
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
          images={inline.images}
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
            <input
              type="checkbox"
              checked={quote}
              onChange={(e) => {
                setQuote(e.target.checked);
                edit({ quote: e.target.checked });
              }}
            />
            {t('composer.quote')}
          </label>
          <label>
            {t('composer.attachments')}
            <input
              type="file"
              multiple
              aria-describedby={fileError ? `${id}-files` : undefined}
              onChange={(e) => {
                const picked = [...(e.target.files ?? [])];
                const error = budgetError([...picked, ...inline.inText(html).map((i) => i.file)]);
                setFileError(error);
                if (error) e.target.value = '';
                setFiles(error ? [] : picked);
              }}
            />
          </label>
          {fileError && (
            <p id={`${id}-files`} role="alert" className="field-error">
              {fileError}
            </p>
          )}
          {imagesDropped && <p className="field-hint">{t('composer.imagesDropped')}</p>}
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
  images,
  renderTemplate,
  onChange,
}: {
  images: InlineImages;
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
          images={images}
          onChange={(h, x) => onChange(x, h)}
        />
        <span className="field-hint">
          {t('composer.cannedHint')} {t('composer.imageHint')}
        </span>
      </div>
    </Suspense>
  );
}

/** The Cc or the Bcc field: comma-separated addresses, as typed. */
function AddressesField({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  return (
    <label>
      {label}
      <input type="email" multiple value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}
