import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'wouter';
import { api, unwrap } from '../api/client.ts';
import './customers.css';
import { t } from '../i18n/index.ts';
import { customerQueries } from './queries.ts';
import { useCustomers } from './use-customers.ts';

/** Customers: the list, and a form to create one. */
export function CustomersPage() {
  const customers = useCustomers();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [externalId, setExternalId] = useState('');
  const create = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/v1/customers', { body: { name, ...(externalId ? { externalId } : {}) } })),
    onSuccess: () => {
      setName('');
      setExternalId('');
      qc.invalidateQueries({ queryKey: customerQueries.all() });
    },
  });
  const all = customers.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="page">
      <h1>{t('nav.customers')}</h1>
      <form
        className="inline-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <h2>{t('customers.new')}</h2>
        <label>
          {t('common.name')}
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t('customers.externalId')}
          <input value={externalId} onChange={(e) => setExternalId(e.target.value)} />
        </label>
        <button type="submit">{t('customers.create')}</button>
        {create.isError && <p role="alert">{create.error.message}</p>}
      </form>
      <table className="table">
        <caption className="visually-hidden">{t('nav.customers')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('common.name')}</th>
            <th scope="col">{t('customers.externalId')}</th>
            <th scope="col">{t('customers.created')}</th>
          </tr>
        </thead>
        <tbody>
          {all.map((c) => (
            <tr key={c.customerId}>
              <td>
                <Link href={`/customers/${c.customerId}`}>{c.name}</Link>
                {c.autoCreated && <span className="hint"> (created from mail)</span>}
              </td>
              <td>{c.externalId}</td>
              <td>{new Date(c.createdAt).toLocaleDateString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {customers.hasNextPage && (
        <button type="button" onClick={() => customers.fetchNextPage()}>
          {t('customers.more')}
        </button>
      )}
    </div>
  );
}
