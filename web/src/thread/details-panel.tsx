import { useQueries } from '@tanstack/react-query';
import { AlertTriangle } from 'lucide-react';
import { Link } from 'wouter';
import type { Thread } from '../api/client.ts';
import { customerQueries } from '../customers/queries.ts';
import { t } from '../i18n/index.ts';
import { Badge, Skeleton } from '../ui/index.ts';

/** The details panel beside a thread: who wrote last, the thread's customers and their contacts. */
export function DetailsPanel({ thread, id }: { thread: Thread; id: string }) {
  const customers = useQueries({ queries: thread.customerIds.map((c) => customerQueries.one(c)) });
  const contacts = useQueries({ queries: thread.customerIds.map((c) => customerQueries.contacts(c)) });
  const latest = thread.latestContact;
  return (
    <aside id={id} className="details" aria-label={t('details.title')}>
      <h3>{t('details.contact')}</h3>
      {latest ? (
        <p className="details-contact">
          <span>{latest.name || latest.email}</span>
          {latest.name && <span className="field-hint">{latest.email}</span>}
        </p>
      ) : (
        <p className="field-hint">{t('card.unknownContact')}</p>
      )}
      <h3>{t('details.customers')}</h3>
      {thread.customerIds.length === 0 && <p className="field-hint">{t('details.noCustomer')}</p>}
      <ul className="details-customers">
        {thread.customerIds.map((customerId, i) => {
          const customer = customers[i]?.data;
          const list = contacts[i]?.data;
          return (
            <li key={customerId}>
              <Link href={`/customers/${customerId}`}>{customer?.name ?? customerId}</Link>
              {customer?.externalId && <span className="field-hint"> ({customer.externalId})</span>}
              {list ? (
                <ul className="details-contacts" aria-label={t('details.contactsOf', { name: customer?.name ?? '' })}>
                  {list.map((c) => (
                    <li key={c.contactId}>
                      <span>{c.name || c.email}</span>
                      {c.name && <span className="field-hint"> {c.email}</span>}
                      {c.failing && (
                        <Badge tone="danger">
                          <AlertTriangle className="icon" aria-hidden="true" /> {t('details.failing')}
                        </Badge>
                      )}
                    </li>
                  ))}
                </ul>
              ) : (
                <Skeleton lines={2} />
              )}
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
