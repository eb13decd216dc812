import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, type Schemas, unwrap } from '../api/client.ts';
import { ThreadList } from '../inbox/thread-list.tsx';
import { ThreadView } from '../thread/thread-view.tsx';
import { customersKey, useCustomer, useCustomerContacts } from './use-customers.ts';

/** A customer: edit it, its contacts (create, edit, link, unlink), and its Customer Inbox. */
export function CustomerPage({ customerId, threadId }: { customerId: string; threadId?: string }) {
  const customer = useCustomer(customerId);
  if (customer.isError) return <p role="alert">{customer.error.message}</p>;
  if (!customer.data) return <p aria-busy="true">Loading…</p>;
  const c = customer.data;
  return (
    <div className="split">
      <section className="list-pane" aria-labelledby="customer-title">
        <h1 id="customer-title">{c.name}</h1>
        <CustomerForm customer={c} />
        <Contacts customerId={customerId} />
        <h2 id="customer-inbox">Customer Inbox</h2>
        <ThreadList
          filters={{ customer: customerId }}
          basePath={`/customers/${customerId}`}
          openThreadId={threadId}
          label={`Threads of ${c.name}`}
        />
      </section>
      <section className="thread-pane" aria-label="Messages view">
        {threadId ? <ThreadView key={threadId} threadId={threadId} /> : <p className="empty">Select a thread.</p>}
      </section>
    </div>
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
    onSuccess: () => qc.invalidateQueries({ queryKey: customersKey }),
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
        Customer name
        <input required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        External id
        <input value={externalId} onChange={(e) => setExternalId(e.target.value)} />
      </label>
      <button type="submit">Save customer</button>
      {save.isSuccess && <span role="status">Saved.</span>}
      {save.isError && <p role="alert">{save.error.message}</p>}
    </form>
  );
}

function Contacts({ customerId }: { customerId: string }) {
  const qc = useQueryClient();
  const contacts = useCustomerContacts(customerId);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const refresh = () => qc.invalidateQueries({ queryKey: [...customersKey, customerId, 'contacts'] });
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
  const unlink = useMutation({
    mutationFn: async (contactId: string) => {
      const r = await api.DELETE('/v1/customers/{customerId}/contacts/{contactId}', {
        params: { path: { customerId, contactId } },
      });
      if (!r.response.ok) unwrap(r);
    },
    onSuccess: refresh,
  });
  return (
    <section aria-labelledby="contacts-title">
      <h2 id="contacts-title">Contacts</h2>
      <ul className="contacts">
        {contacts.data?.map((c) => (
          <li key={c.contactId}>
            <ContactRow contact={c} onSaved={refresh} />
            <button type="button" onClick={() => unlink.mutate(c.contactId)} aria-label={`Unlink ${c.email}`}>
              Unlink
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
          Contact email
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Contact name
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit">Link contact</button>
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
        <button type="button" onClick={() => setEditing(true)} aria-label={`Edit ${contact.email}`}>
          Edit
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
      <button type="submit">Save contact</button>
      {save.isError && <p role="alert">{save.error.message}</p>}
    </form>
  );
}
