import { type UseQueryResult, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { api, unwrap } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { Button, Skeleton } from '../ui/index.ts';
import { queueQueries, type Rules } from './queries.ts';

export const EVENTS = ['assigned', 'answered', 'mentioned', 'newThread', 'slaWarning', 'slaBreach'] as const;
export const CHANNELS = ['app', 'browser', 'email'] as const;
const VIEWS = ['unassigned', 'all'] as const;
type Event = (typeof EVENTS)[number];
type Channel = (typeof CHANNELS)[number];
type FollowedView = (typeof VIEWS)[number];
type RulesPatch = Partial<Record<Event, Partial<Record<Channel, boolean>>>>;
interface Patch {
  rules?: RulesPatch;
  followedViews?: FollowedView[];
}

/** Only the cells that differ from what was loaded: the rest keeps following the layer below. */
export function changedRules(before: Rules, after: Rules): RulesPatch | undefined {
  const patch: RulesPatch = {};
  for (const e of EVENTS)
    for (const c of CHANNELS)
      if (before[e][c] !== after[e][c]) {
        patch[e] ??= {};
        patch[e]![c] = after[e][c];
      }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

const sameViews = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v) => b.includes(v));

/**
 * The rules as a table of checkboxes, an event per row and a channel per column (row and column headers,
 * so a screen reader says "Mentioned, Email, checked"); the followed views for new threads below it.
 * Saving sends only what changed.
 */
interface RulesFormProps {
  title: string;
  hint: string;
  loaded: { rules: Rules; followedViews?: FollowedView[] };
  onSave: (patch: Patch) => Promise<unknown>;
}

function RulesForm({ title, hint, loaded, onSave }: RulesFormProps) {
  const [rules, setRules] = useState(loaded.rules);
  const [views, setViews] = useState<FollowedView[]>(loaded.followedViews ?? []);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    setRules(loaded.rules);
    setViews(loaded.followedViews ?? []);
  }, [loaded]);
  const save = useMutation({
    mutationFn: onSave,
    onSuccess: () => setSaved(true),
  });
  const changed = changedRules(loaded.rules, rules);
  const viewsChanged = !sameViews(loaded.followedViews ?? [], views);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!changed && !viewsChanged) return;
    save.mutate({ ...(changed ? { rules: changed } : {}), ...(viewsChanged ? { followedViews: views } : {}) });
  };
  const headingId = `prefs-${title.replace(/\W+/g, '-')}`;
  return (
    <form className="prefs" onSubmit={submit} aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <p className="hint">{hint}</p>
      <table className="prefs-table">
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t('prefs.event')}</th>
            {CHANNELS.map((c) => (
              <th key={c} scope="col">
                {t(`prefs.channel.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {EVENTS.map((e) => (
            <tr key={e}>
              <th scope="row">{t(`prefs.event.${e}`)}</th>
              {CHANNELS.map((c) => (
                <td key={c}>
                  <input
                    type="checkbox"
                    aria-label={t('prefs.cell', { event: t(`prefs.event.${e}`), channel: t(`prefs.channel.${c}`) })}
                    checked={rules[e][c]}
                    onChange={(ev) => {
                      setSaved(false);
                      setRules((r) => ({ ...r, [e]: { ...r[e], [c]: ev.target.checked } }));
                    }}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <fieldset className="prefs-views">
        <legend>{t('prefs.followedViews')}</legend>
        {VIEWS.map((v) => (
          <label key={v}>
            <input
              type="checkbox"
              checked={views.includes(v)}
              onChange={(ev) => {
                setSaved(false);
                setViews((list) => (ev.target.checked ? [...list, v] : list.filter((x) => x !== v)));
              }}
            />
            {t(`views.${v}`)}
          </label>
        ))}
      </fieldset>
      <div className="prefs-actions">
        <Button type="submit" variant="primary" disabled={(!changed && !viewsChanged) || save.isPending}>
          {t('prefs.save')}
        </Button>
        <span role="status">{saved && t('prefs.saved')}</span>
      </div>
      {save.isError && (
        <p role="alert" className="error">
          {t('prefs.error', { message: save.error.message })}
        </p>
      )}
    </form>
  );
}

/** The form once its rules are loaded: a skeleton before, the error if loading failed. */
function LoadedRulesForm({
  query,
  ...form
}: Omit<RulesFormProps, 'loaded'> & { query: UseQueryResult<RulesFormProps['loaded']> }) {
  if (query.isPending) return <Skeleton lines={4} />;
  if (query.isError)
    return (
      <p role="alert" className="error">
        {t('prefs.loadError', { message: query.error.message })}
      </p>
    );
  return <RulesForm {...form} loaded={query.data} />;
}

/** The signed-in agent's own rules (GET/PATCH /v1/notifications/preferences). */
export function MyNotificationPrefs() {
  const qc = useQueryClient();
  const query = useQuery(queueQueries.preferences());
  return (
    <LoadedRulesForm
      query={query}
      title={t('prefs.title')}
      hint={t('prefs.mineHint')}
      onSave={async (body) => {
        const out = unwrap(await api.PATCH('/v1/notifications/preferences', { body }));
        qc.setQueryData(queueQueries.preferences().queryKey, out);
      }}
    />
  );
}

/** The workspace's default rules, for admins (GET/PATCH /v1/settings/notifications). */
export function NotificationDefaults() {
  const qc = useQueryClient();
  const query = useQuery(queueQueries.defaults());
  return (
    <LoadedRulesForm
      query={query}
      title={t('prefs.defaultsTitle')}
      hint={t('prefs.defaultsHint')}
      onSave={async (body) => {
        const out = unwrap(await api.PATCH('/v1/settings/notifications', { body }));
        qc.setQueryData(queueQueries.defaults().queryKey, out);
        // Each agent's effective rules follow the defaults where they changed nothing.
        await qc.invalidateQueries({ queryKey: queueQueries.preferences().queryKey });
      }}
    />
  );
}
