import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { api, idempotencyKey, unwrap } from '../api/client.ts';
import { useCustomerContacts, useCustomers } from '../customers/index.ts';
import { t } from '../i18n/index.ts';
import { mailQueries } from '../mail/queries.ts';
import { useTemplates } from '../templates/index.ts';
import { Button } from '../ui/index.ts';
import { threadQueries } from './queries.ts';
import './thread.css';

/** New thread: an outbound first message to a customer's contact. */
export function NewThreadPage() {
  const customers = useCustomers();
  const templates = useTemplates();
  const [customerId, setCustomerId] = useState('');
  const contacts = useCustomerContacts(customerId);
  const [to, setTo] = useState('');
  const mailboxes = useQuery(mailQueries.mailboxes());
  // The first mailbox is the API's default too.
  const [mailbox, setMailbox] = useState('');
  const from = mailbox || mailboxes.data?.[0]?.address || '';
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [templateId, setTemplateId] = useState('');
  const key = useRef(idempotencyKey());
  const [, navigate] = useLocation();
  const qc = useQueryClient();
  const start = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/v1/threads', {
          params: { header: { 'Idempotency-Key': key.current } as never },
          body: {
            customerIds: [customerId],
            to: [to],
            subject,
            ...(from ? { mailbox: from } : {}),
            ...(templateId ? { templateId } : { text }),
          },
        }),
      ),
    onSuccess: (r) => {
      qc.invalidateQueries({ queryKey: threadQueries.lists() });
      navigate(`/inbox/${r.thread.threadId}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate();
  };
  return (
    <div className="page">
      <h1>{t('nav.newThread')}</h1>
      <form className="stack-form" onSubmit={submit}>
        <label>
          {t('search.customer')}
          <select
            required
            value={customerId}
            onChange={(e) => {
              setCustomerId(e.target.value);
              setTo('');
            }}
          >
            <option value="">{t('newThread.chooseCustomer')}</option>
            {customers.data?.pages
              .flatMap((p) => p.items)
              .map((c) => (
                <option key={c.customerId} value={c.customerId}>
                  {c.name}
                </option>
              ))}
          </select>
        </label>
        <label>
          {t('newThread.to')}
          <select required value={to} onChange={(e) => setTo(e.target.value)} disabled={!customerId}>
            <option value="">{t('newThread.chooseContact')}</option>
            {customerId &&
              contacts.data?.map((c) => (
                <option key={c.contactId} value={c.email}>
                  {c.name ? `${c.name} <${c.email}>` : c.email}
                </option>
              ))}
          </select>
        </label>
        {(mailboxes.data?.length ?? 0) > 0 && (
          <label>
            {t('newThread.mailbox')}
            <select value={from} onChange={(e) => setMailbox(e.target.value)}>
              {mailboxes.data?.map((m) => (
                <option key={m.mailboxId} value={m.address}>
                  {m.displayName ? `${m.displayName} <${m.address}>` : m.address}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('templates.subject')}
          <input required maxLength={998} value={subject} onChange={(e) => setSubject(e.target.value)} />
        </label>
        <label>
          {t('composer.template')}
          <select value={templateId} onChange={(e) => setTemplateId(e.target.value)}>
            <option value="">{t('composer.noTemplate')}</option>
            {templates.data?.map((t) => (
              <option key={t.templateId} value={t.templateId}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        {!templateId && (
          <label>
            {t('composer.message')}
            <textarea required rows={8} value={text} onChange={(e) => setText(e.target.value)} />
          </label>
        )}
        {start.isError && (
          <p role="alert" className="error">
            Not sent: {start.error.message}
          </p>
        )}
        <Button type="submit" variant="primary" disabled={start.isPending}>
          {t('composer.send')}
        </Button>
      </form>
    </div>
  );
}
