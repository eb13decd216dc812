import { SlidersHorizontal } from 'lucide-react';
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useAgents } from '../agents/index.ts';
import { useShortcut } from '../app/shortcuts.ts';
import { currentSession } from '../auth/session.ts';
import { useCustomers } from '../customers/index.ts';
import { t } from '../i18n/index.ts';
import { Button, IconButton } from '../ui/index.ts';
import { type Filters, filtersFrom, searchOf } from './filters.ts';

/** The keyword box, and the seed's "+" next to it that opens the advanced search. */
export function SearchBar({
  filters,
  onChange,
  fixed = [],
}: {
  filters: Filters;
  onChange: (f: Filters) => void;
  fixed?: (keyof Filters)[];
}) {
  const [draft, setDraft] = useState<Filters>(filters);
  const [advanced, setAdvanced] = useState(() =>
    Object.keys(filters).some((k) => k !== 'q' && !fixed.includes(k as keyof Filters)),
  );
  const input = useRef<HTMLInputElement>(null);
  const panelId = useId();
  // The draft follows the URL when the URL changes (back, a shared link), not on every render.
  const applied = searchOf(filters);
  useEffect(() => setDraft(filtersFrom(new URLSearchParams(applied))), [applied]);
  useShortcut(
    '/',
    useCallback(() => input.current?.focus(), []),
  );

  const set = (k: keyof Filters, v: string) => setDraft((d) => ({ ...d, [k]: v || undefined }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The Late view is a list of its own: a keyword search covers every thread (the API takes not both).
    onChange(draft.q ? { ...draft, late: undefined } : draft);
  };
  const shown = (k: keyof Filters) => !fixed.includes(k);

  return (
    <search>
      <form className="search" onSubmit={submit}>
        <div className="search-line">
          <label htmlFor={`${panelId}-q`} className="visually-hidden">
            {t('search.label')}
          </label>
          <input
            id={`${panelId}-q`}
            ref={input}
            type="search"
            placeholder={t('search.placeholder')}
            value={draft.q ?? ''}
            onChange={(e) => set('q', e.target.value)}
          />
          <IconButton
            label={t('search.advanced')}
            icon={SlidersHorizontal}
            variant={advanced ? 'secondary' : 'ghost'}
            aria-expanded={advanced}
            aria-controls={panelId}
            onClick={() => setAdvanced((a) => !a)}
          />
          <Button type="submit">{t('search.submit')}</Button>
        </div>
        {advanced && <AdvancedSearch id={panelId} draft={draft} set={set} shown={shown} />}
      </form>
    </search>
  );
}

function AdvancedSearch({
  id,
  draft,
  set,
  shown,
}: {
  id: string;
  draft: Filters;
  set: (k: keyof Filters, v: string) => void;
  shown: (k: keyof Filters) => boolean;
}) {
  const { data: agents } = useAgents();
  const customers = useCustomers();
  const me = currentSession()?.agentId;
  return (
    <fieldset id={id} className="advanced">
      <legend>{t('search.advanced')}</legend>
      {shown('status') && (
        <label>
          {t('thread.status')}
          <select value={draft.status ?? ''} onChange={(e) => set('status', e.target.value)}>
            <option value="">{t('search.any')}</option>
            <option value="open">{t('status.open')}</option>
            <option value="reminder">{t('status.reminder')}</option>
            <option value="waiting">{t('status.waiting')}</option>
            <option value="closed">{t('status.closed')}</option>
          </select>
        </label>
      )}
      {shown('assignee') && (
        <label>
          {t('thread.assignee')}
          <select value={draft.assignee ?? ''} onChange={(e) => set('assignee', e.target.value)}>
            <option value="">{t('search.anyone')}</option>
            <option value="none">{t('thread.unassigned')}</option>
            {me && <option value={me}>{t('search.me')}</option>}
            {agents
              ?.filter((a) => a.agentId !== me)
              .map((a) => (
                <option key={a.agentId} value={a.agentId}>
                  {a.name}
                </option>
              ))}
          </select>
        </label>
      )}
      {shown('tag') && (
        <label>
          {t('search.tag')}
          <input value={draft.tag ?? ''} onChange={(e) => set('tag', e.target.value.toLowerCase())} />
        </label>
      )}
      {shown('customer') && (
        <label>
          {t('search.customer')}
          <select value={draft.customer ?? ''} onChange={(e) => set('customer', e.target.value)}>
            <option value="">{t('search.any')}</option>
            {customers.data?.pages
              .flatMap((p) => p.items)
              .map((c) => (
                <option key={c.customerId} value={c.customerId}>
                  {c.name}
                </option>
              ))}
          </select>
        </label>
      )}
      {shown('hasAttachments') && (
        <label>
          {t('search.attachments')}
          <select value={draft.hasAttachments ?? ''} onChange={(e) => set('hasAttachments', e.target.value)}>
            <option value="">{t('search.any')}</option>
            <option value="true">{t('search.withAttachments')}</option>
            <option value="false">{t('search.withoutAttachments')}</option>
          </select>
        </label>
      )}
      {shown('unread') && (
        <label className="check">
          <input
            type="checkbox"
            checked={draft.unread === 'true'}
            onChange={(e) => set('unread', e.target.checked ? 'true' : '')}
          />
          {t('search.unreadOnly')}
        </label>
      )}
    </fieldset>
  );
}
