import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { api, type Schemas, unwrap } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { Button } from '../ui/index.ts';
import { mailQueries } from './queries.ts';

type Mailbox = Schemas['Mailbox'];

/** The variables a signature may use: the templates' own. */
const VARIABLES = ['contactName', 'agentName', 'mailboxName', 'workspaceName', 'threadRef', 'subject']
  .map((v) => `{{${v}}}`)
  .join(', ');

/** The settings of each mailbox: its display name, its From format and its signature layer. */
export function MailboxesSection() {
  const mailboxes = useQuery(mailQueries.mailboxes());
  return (
    <section aria-labelledby="mailboxes-title">
      <h2 id="mailboxes-title">{t('mail.mailboxes')}</h2>
      {mailboxes.isError && <p role="alert">{mailboxes.error.message}</p>}
      {mailboxes.isPending && <p aria-busy="true">{t('common.loading')}</p>}
      {mailboxes.data?.length === 0 && <p className="field-hint">{t('mail.noMailboxes')}</p>}
      {mailboxes.data?.map((m) => (
        <MailboxForm key={m.mailboxId} mailbox={m} />
      ))}
      <p className="field-hint">{t('mail.signatureHint', { vars: VARIABLES })}</p>
    </section>
  );
}

function MailboxForm({ mailbox }: { mailbox: Mailbox }) {
  const id = useId();
  const qc = useQueryClient();
  const [displayName, setDisplayName] = useState(mailbox.displayName ?? '');
  const [fromFormat, setFromFormat] = useState(mailbox.fromFormat);
  const [signature, setSignature] = useState(mailbox.signature ?? '');
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH('/v1/mailboxes/{mailboxId}', {
          params: { path: { mailboxId: mailbox.mailboxId } },
          body: {
            displayName: displayName.trim() || null,
            fromFormat,
            signature: signature.trim() ? signature : null,
          },
        }),
      ),
    onSuccess: (saved) =>
      qc.setQueryData(mailQueries.mailboxes().queryKey, (list) =>
        list?.map((m) => (m.mailboxId === saved.mailboxId ? saved : m)),
      ),
  });
  return (
    <form
      className="stack-form mailbox"
      aria-labelledby={`${id}-address`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h3 id={`${id}-address`}>
        <code>{mailbox.address}</code>
      </h3>
      <label>
        {t('mail.displayName')}
        <input maxLength={200} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
      </label>
      <label>
        {t('mail.fromFormat')}
        <select value={fromFormat} onChange={(e) => setFromFormat(e.target.value as Mailbox['fromFormat'])}>
          <option value="agentFromMailbox">{t('mail.agentFromMailbox')}</option>
          <option value="mailbox">{t('mail.mailboxOnly')}</option>
        </select>
      </label>
      <label>
        {t('mail.signature')}
        <textarea rows={3} value={signature} onChange={(e) => setSignature(e.target.value)} />
      </label>
      <Button type="submit" disabled={save.isPending}>
        {t('mail.saveMailbox')}
      </Button>
      {save.isSuccess && <span role="status">{t('common.saved')}</span>}
      {save.isError && <p role="alert">{save.error.message}</p>}
    </form>
  );
}

/** One signature layer: the workspace's (settings) or the agent's own (My profile). */
export function SignatureForm({ layer }: { layer: 'workspace' | 'me' }) {
  const id = useId();
  const qc = useQueryClient();
  const query = mailQueries.signature(layer);
  const current = useQuery(query);
  const [text, setText] = useState('');
  useEffect(() => {
    if (current.data) setText(current.data.text ?? '');
  }, [current.data]);
  const save = useMutation({
    mutationFn: async () => {
      const body = { text: text.trim() ? text : null };
      return unwrap(
        layer === 'workspace' ? await api.PUT('/v1/signature', { body }) : await api.PUT('/v1/me/signature', { body }),
      );
    },
    onSuccess: (saved) => qc.setQueryData(query.queryKey, saved),
  });
  const title = layer === 'workspace' ? t('mail.workspaceSignature') : t('mail.mySignature');
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {current.isError && <p role="alert">{current.error.message}</p>}
      <form
        className="stack-form"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <label>
          {t('mail.signature')}
          <textarea rows={4} value={text} disabled={current.isPending} onChange={(e) => setText(e.target.value)} />
        </label>
        <p className="field-hint">{t('mail.signatureHint', { vars: VARIABLES })}</p>
        <Button type="submit" disabled={current.isPending || save.isPending}>
          {t('mail.saveSignature')}
        </Button>
        {save.isSuccess && <span role="status">{t('common.saved')}</span>}
        {save.isError && <p role="alert">{save.error.message}</p>}
      </form>
    </section>
  );
}
