import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useAgents } from '../agents/use-agents.ts';
import { useShortcut } from '../app/shortcuts.ts';
import { currentSession } from '../auth/session.ts';
import { useCustomers } from '../customers/use-customers.ts';
import type { Filters } from './filters.ts';

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
  useEffect(() => setDraft(filters), [filters]);
  useShortcut(
    '/',
    useCallback(() => input.current?.focus(), []),
  );

  const set = (k: keyof Filters, v: string) => setDraft((d) => ({ ...d, [k]: v || undefined }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onChange(draft);
  };
  const shown = (k: keyof Filters) => !fixed.includes(k);

  return (
    <search>
      <form className="search" onSubmit={submit}>
        <div className="search-line">
          <label htmlFor={`${panelId}-q`} className="visually-hidden">
            Search
          </label>
          <input
            id={`${panelId}-q`}
            ref={input}
            type="search"
            placeholder="Search"
            value={draft.q ?? ''}
            onChange={(e) => set('q', e.target.value)}
          />
          <button
            type="button"
            className="plus"
            aria-label="Advanced search"
            aria-expanded={advanced}
            aria-controls={panelId}
            onClick={() => setAdvanced((a) => !a)}
          >
            +
          </button>
          <button type="submit">Search</button>
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
      <legend>Advanced search</legend>
      {shown('status') && (
        <label>
          Status
          <select value={draft.status ?? ''} onChange={(e) => set('status', e.target.value)}>
            <option value="">Any</option>
            <option value="open">Open</option>
            <option value="reminder">Reminder</option>
            <option value="waiting">Waiting</option>
            <option value="closed">Closed</option>
          </select>
        </label>
      )}
      {shown('assignee') && (
        <label>
          Assignee
          <select value={draft.assignee ?? ''} onChange={(e) => set('assignee', e.target.value)}>
            <option value="">Anyone</option>
            <option value="none">Unassigned</option>
            {me && <option value={me}>Me</option>}
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
          Tag
          <input value={draft.tag ?? ''} onChange={(e) => set('tag', e.target.value.toLowerCase())} />
        </label>
      )}
      {shown('customer') && (
        <label>
          Customer
          <select value={draft.customer ?? ''} onChange={(e) => set('customer', e.target.value)}>
            <option value="">Any</option>
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
          Attachments
          <select value={draft.hasAttachments ?? ''} onChange={(e) => set('hasAttachments', e.target.value)}>
            <option value="">Any</option>
            <option value="true">With attachments</option>
            <option value="false">Without attachments</option>
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
          Unread only
        </label>
      )}
    </fieldset>
  );
}
