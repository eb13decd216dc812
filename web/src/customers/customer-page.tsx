import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Inbox as InboxIcon } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { api, type Schemas, unwrap } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { ThreadList } from '../inbox/index.ts';
import { ThreadView } from '../thread/index.ts';
import { EmptyState, ErrorBoundary, Panes, Skeleton, useToast } from '../ui/index.ts';
import './customers.css';
import { customerQueries } from './queries.ts';
import { useCustomer, useCustomerContacts } from './use-customers.ts';

/** A customer: edit it, its contacts (create, edit, link, unlink), and its Customer Inbox. */
export function CustomerPage({ customerId, threadId }: { customerId: string; threadId?: string }) {
  const customer = useCustomer(customerId);
  if (customer.isError) return <p role="alert">{customer.error.message}</p>;
  if (!customer.data) return <Skeleton lines={6} />;
  const c = customer.data;
  return (
    <Panes
      detailOpen={Boolean(threadId)}
      list={
        <section className="list-pane customer-pane" aria-labelledby="customer-title">
          <div className="pane-header">
            <h1 id="customer-title">{c.name}</h1>
            <CustomerForm customer={c} />
            <Contacts customerId={customerId} />
            <h2 id="customer-inbox">{t('customers.inbox')}</h2>
          </div>
          <ErrorBoundary area={t('area.list')}>
            <ThreadList
              filters={{ customer: customerId }}
              basePath={`/customers/${customerId}`}
              openThreadId={threadId}
              label={t('customers.threadsOf', { name: c.name })}
            />
          </ErrorBoundary>
        </section>
      }
      detail={
        <section className="thread-pane" aria-label={t('thread.pane')}>
          <ErrorBoundary area={t('area.thread')} resetKey={threadId}>
            {threadId ? (
              <ThreadView key={threadId} threadId={threadId} backHref={`/customers/${customerId}`} />
            ) : (
              <EmptyState icon={InboxIcon} title={t('inbox.select')} />
            )}
          </ErrorBoundary>
        </section>
      }
    />
  );
}

function CustomerForm({ customer }: { customer: Schemas['Customer'] }) {
  const qc = useQueryClient();
  const [name, setName] = useState(customer.name);
  const [externalId, setExternalId] = useState(customer.externalId ?? '');
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH('/v1/customers/{customerId}', {
          params: { path: { customerId: customer.customerId } },
          body: { name, externalId: externalId || null },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: customerQueries.all() }),
  });
  return (
    <form
      className="inline-form"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <label>
        {t('customers.customerName')}
        <input required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {t('customers.externalId')}
        <input value={externalId} onChange={(e) => setExternalId(e.target.value)} />
      </label>
      <button type="submit">{t('customers.save')}</button>
      {save.isSuccess && <span role="status">{t('common.saved')}</span>}
      {save.isError && <p role="alert">{save.error.message}</p>}
    </form>
  );
}

function Contacts({ customerId }: { customerId: string }) {
  const qc = useQueryClient();
  const contacts = useCustomerContacts(customerId);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const refresh = () => qc.invalidateQueries({ queryKey: customerQueries.contacts(customerId).queryKey });
  const link = useMutation({
    mutationFn: async () => {
      // An existing contact (one address, many customers) is linked; an unknown address is created first.
      const found = unwrap(await api.GET('/v1/contacts', { params: { query: { email } } })).items[0];
      const contact = found ?? unwrap(await api.POST('/v1/contacts', { body: { email, ...(name ? { name } : {}) } }));
      const r = await api.PUT('/v1/customers/{customerId}/contacts/{contactId}', {
        params: { path: { customerId, contactId: contact.contactId } },
      });
      if (!r.response.ok) unwrap(r);
    },
    onSuccess: () => {
      setEmail('');
      setName('');
      refresh();
    },
  });
  const toast = useToast();
  const relink = async (contactId: string) => {
    const r = await api.PUT('/v1/customers/{customerId}/contacts/{contactId}', {
      params: { path: { customerId, contactId } },
    });
    if (!r.response.ok) unwrap(r);
    refresh();
  };
  // Unlinking is undone by linking again (the contact itself is not deleted): the toast offers it.
  const unlink = useMutation({
    mutationFn: async (contact: { contactId: string; email: string }) => {
      const r = await api.DELETE('/v1/customers/{customerId}/contacts/{contactId}', {
        params: { path: { customerId, contactId: contact.contactId } },
      });
      if (!r.response.ok) unwrap(r);
      return contact;
    },
    onSuccess: (contact) => {
      refresh();
      toast({ message: t('customers.unlinked', { email: contact.email }), undo: () => void relink(contact.contactId) });
    },
  });
  return (
    <section aria-labelledby="contacts-title">
      <h2 id="contacts-title">{t('customers.contacts')}</h2>
      <ul className="contacts">
        {contacts.data?.map((c) => (
          <li key={c.contactId}>
            <ContactRow contact={c} onSaved={refresh} />
            <button type="button" onClick={() => unlink.mutate(c)} aria-label={`${t('customers.unlink')} ${c.email}`}>
              {t('customers.unlink')}
            </button>
          </li>
        ))}
      </ul>
      <form
        className="inline-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          link.mutate();
        }}
      >
        <label>
          {t('customers.contactEmail')}
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          {t('customers.contactName')}
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit">{t('customers.link')}</button>
        {link.isError && <p role="alert">{link.error.message}</p>}
      </form>
    </section>
  );
}

function ContactRow({ contact, onSaved }: { contact: Schemas['Contact']; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(contact.name ?? '');
  const [externalId, setExternalId] = useState(contact.externalId ?? '');
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH('/v1/contacts/{contactId}', {
          params: { path: { contactId: contact.contactId } },
          body: { name: name || null, externalId: externalId || null },
        }),
      ),
    onSuccess: () => {
      setEditing(false);
      onSaved();
    },
  });
  if (!editing)
    return (
      <span>
        {contact.name ? `${contact.name} <${contact.email}>` : contact.email}
        {contact.externalId && <span className="external-id"> ({contact.externalId})</span>}
        {contact.failing && <span className="flag"> failing address</span>}{' '}
        <button type="button" onClick={() => setEditing(true)} aria-label={`${t('common.edit')} ${contact.email}`}>
          {t('common.edit')}
        </button>
      </span>
    );
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <label>
        Name of {contact.email}
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        External id of {contact.email}
        <input value={externalId} onChange={(e) => setExternalId(e.target.value)} />
      </label>
      <button type="submit">{t('customers.saveContact')}</button>
      {save.isError && <p role="alert">{save.error.message}</p>}
    </form>
  );
}
