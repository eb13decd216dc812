import { useMutation, useQueryClient } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { fullTime } from '../../../design/format.ts';
import { useAgents } from '../agents/index.ts';
import { api, type Schemas, type Status, unwrap } from '../api/client.ts';
import { locale, t } from '../i18n/index.ts';
import { queueQueries } from '../queue/queries.ts';
import { snoozePresets } from '../thread/index.ts';
import { threadQueries } from '../thread/queries.ts';
import { Button, IconButton, Menu, Picker } from '../ui/index.ts';

type BulkChange = Omit<Schemas['BulkRequest'], 'threads'>;
export type BulkResult = Schemas['BulkResults']['results'][number];

const STATUSES: Status[] = ['open', 'reminder', 'waiting', 'closed'];
const UNASSIGNED = '__none__';

/**
 * The bar over a list with selected threads: assign, tag, change the status or close them, in ONE
 * POST /v1/threads/bulk (each thread its own versioned commit on the server); the answer's result per thread
 * is shown, and the threads that were not done stay selected.
 */
export function BulkBar({
  selected,
  subjectOf,
  onDone,
  onClear,
}: {
  selected: string[];
  subjectOf: (threadId: string) => string;
  onDone: (results: BulkResult[]) => void;
  onClear: () => void;
}) {
  const qc = useQueryClient();
  const agents = useAgents();
  const [tag, setTag] = useState('');
  const [results, setResults] = useState<BulkResult[]>();
  const bulk = useMutation({
    mutationFn: async (change: BulkChange) =>
      unwrap(
        await api.POST('/v1/threads/bulk', {
          body: { threads: selected.slice(0, 100).map((threadId) => ({ threadId })), ...change },
        }),
      ).results,
    onSuccess: (r) => {
      setResults(r);
      onDone(r);
    },
    onSettled: () => {
      qc.invalidateQueries({ queryKey: threadQueries.all() });
      qc.invalidateQueries({ queryKey: queueQueries.views().queryKey });
    },
  });
  const run = (change: BulkChange) => {
    setResults(undefined);
    bulk.mutate(change);
  };
  const addTag = (e: FormEvent) => {
    e.preventDefault();
    const v = tag.trim();
    if (!v) return;
    run({ addTags: [v] });
    setTag('');
  };
  const count = (r: BulkResult['result']) => results?.filter((x) => x.result === r).length ?? 0;
  const failed = results?.filter((r) => r.result !== 'done') ?? [];
  if (selected.length === 0 && !results && !bulk.isError) return null;
  return (
    <section className="bulk-bar" aria-label={t('bulk.bar')}>
      {selected.length > 0 && (
        <div className="bulk-actions">
          <span className="bulk-count" role="status">
            {t('bulk.selected', { n: selected.length })}
          </span>
          {selected.length > 100 && <span className="error">{t('bulk.tooMany')}</span>}
          <Picker<string>
            label={t('bulk.assign')}
            value=""
            renderValue={() => t('bulk.assign')}
            options={[
              { value: UNASSIGNED, label: t('bulk.unassigned') },
              ...(agents.data ?? []).map((a) => ({ value: a.agentId, label: a.name })),
            ]}
            onSelect={(v) => run({ assignee: v === UNASSIGNED ? null : v })}
          />
          <Menu<Status>
            label={t('status.label')}
            value={'' as Status}
            renderValue={() => t('status.label')}
            options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
            onSelect={(status) => run({ status })}
          />
          {/* Bulk snooze (assign, issue 21): the thread header's presets, each thread under its own version. */}
          <Menu<'' | keyof ReturnType<typeof snoozePresets>>
            label={t('assign.bulkSnooze')}
            value=""
            renderValue={() => t('snooze.label')}
            options={(['laterToday', 'tomorrow', 'monday'] as const).map((p) => ({
              value: p,
              label: t(`snooze.${p}`, { time: fullTime(snoozePresets()[p].toISOString(), locale()) }),
            }))}
            onSelect={(p) => p && run({ status: 'snoozed', snoozedUntil: snoozePresets()[p].toISOString() })}
          />
          <form className="bulk-tag" onSubmit={addTag}>
            <label htmlFor="bulk-tag" className="visually-hidden">
              {t('bulk.tag')}
            </label>
            <input
              id="bulk-tag"
              value={tag}
              maxLength={64}
              placeholder={t('bulk.tag')}
              onChange={(e) => setTag(e.target.value)}
            />
            <Button type="submit" size="sm" disabled={!tag.trim() || bulk.isPending}>
              {t('bulk.addTag')}
            </Button>
          </form>
          <Button size="sm" variant="primary" disabled={bulk.isPending} onClick={() => run({ status: 'closed' })}>
            {t('bulk.close')}
          </Button>
          <IconButton label={t('bulk.clear')} icon={X} onClick={onClear} />
        </div>
      )}
      {bulk.isError && (
        <p role="alert" className="error">
          {t('bulk.error', { message: bulk.error.message })}
        </p>
      )}
      {results && (
        <div className="bulk-results" role="status">
          <p>
            {t('bulk.results', { done: count('done'), conflict: count('conflict'), notFound: count('notFound') })}
            {count('invalid') > 0 && ` ${t('bulk.invalid', { n: count('invalid') })}`}
          </p>
          {failed.length > 0 && (
            <ul>
              {failed.map((r) => (
                <li key={r.threadId}>
                  {subjectOf(r.threadId)}: {t(`bulk.result.${r.result}`)}
                  {r.message ? ` (${r.message})` : ''}
                </li>
              ))}
            </ul>
          )}
          <IconButton label={t('bulk.dismiss')} icon={X} onClick={() => setResults(undefined)} />
        </div>
      )}
    </section>
  );
}
