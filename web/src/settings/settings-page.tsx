import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { AgentAvatar, useAgents } from '../agents/index.ts';
import { api, type Schemas, unwrap } from '../api/client.ts';
import { BusinessHoursForm } from './business-hours-form.tsx';
import { PolicyTimeline } from './policy-timeline.tsx';
import { settingsQueries } from './queries.ts';
import './settings.css';
import { t } from '../i18n/index.ts';
import { MailboxesSection, SignatureForm } from '../mail/index.ts';
import { NotificationDefaults } from '../queue/index.ts';

const DAY = 86400;

/** Admin: the reminder policy (with its timeline), the inbound addresses and the agents. */
export function SettingsPage() {
  const qc = useQueryClient();
  const settings = useQuery(settingsQueries.one());
  const [policy, setPolicy] = useState<Schemas['StatusPolicy']>();
  useEffect(() => {
    if (settings.data) setPolicy(settings.data.policy);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: async (p: Schemas['StatusPolicy']) => unwrap(await api.PUT('/v1/settings', { body: { policy: p } })),
    onSuccess: (s) => qc.setQueryData(settingsQueries.one().queryKey, s),
  });
  if (settings.isError) return <p role="alert">{settings.error.message}</p>;
  if (!policy || !settings.data) return <p aria-busy="true">{t('common.loading')}</p>;
  const days = (s: number) => Math.round((s / DAY) * 100) / 100;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(policy);
  };
  return (
    <div className="page">
      <h1>{t('nav.settings')}</h1>
      <section aria-labelledby="policy-title">
        <h2 id="policy-title">{t('settings.policy')}</h2>
        <PolicyTimeline policy={policy} />
        <form className="inline-form" onSubmit={submit}>
          <label>
            {t('settings.reminders')}
            <input
              type="number"
              min={0}
              max={20}
              value={policy.reminders}
              onChange={(e) => setPolicy({ ...policy, reminders: Number(e.target.value) })}
            />
          </label>
          <label>
            {t('settings.between')}
            <input
              type="number"
              min={0.01}
              step="any"
              value={days(policy.reminderDelaysSeconds[0] ?? 3 * DAY)}
              onChange={(e) =>
                setPolicy({ ...policy, reminderDelaysSeconds: [Math.max(1, Math.round(Number(e.target.value) * DAY))] })
              }
            />
          </label>
          <label>
            {t('settings.waiting')}
            <input
              type="number"
              min={0.01}
              step="any"
              value={days(policy.waitingDelaySeconds)}
              onChange={(e) =>
                setPolicy({ ...policy, waitingDelaySeconds: Math.max(1, Math.round(Number(e.target.value) * DAY)) })
              }
            />
          </label>
          <label>
            {t('settings.after')}
            <select
              value={policy.afterWaiting}
              onChange={(e) => setPolicy({ ...policy, afterWaiting: e.target.value as 'open' | 'closed' })}
            >
              <option value="open">{t('settings.reopen')}</option>
              <option value="closed">{t('settings.close')}</option>
            </select>
          </label>
          <button type="submit">{t('settings.save')}</button>
          {save.isSuccess && <span role="status">{t('common.saved')}</span>}
          {save.isError && <p role="alert">{save.error.message}</p>}
        </form>
      </section>
      <AssignOnArrival enabled={settings.data.assignOnArrival === true} />
      <BusinessHoursForm settings={settings.data} />
      <section aria-labelledby="addresses-title">
        <h2 id="addresses-title">{t('settings.addresses')}</h2>
        <ul>
          {settings.data.inboundAddresses.map((a) => (
            <li key={a}>
              <code>{a}</code>
            </li>
          ))}
        </ul>
        <p className="hint">Ops add inbound addresses (`gochat workspace` and the domain's MX records).</p>
      </section>
      <MailboxesSection />
      <SignatureForm layer="workspace" />
      <AgentsSection />
      <NotificationDefaults />
    </div>
  );
}

/** Assignment on arrival (docs/assignment.md): new threads round-robin among the available agents. */
export function AssignOnArrival({ enabled }: { enabled: boolean }) {
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: async (assignOnArrival: boolean) =>
      unwrap(await api.PUT('/v1/settings', { body: { assignOnArrival } })),
    onSuccess: (s) => qc.setQueryData(settingsQueries.one().queryKey, s),
  });
  return (
    <section aria-labelledby="assign-title">
      <h2 id="assign-title">{t('assign.title')}</h2>
      <label>
        <input
          type="checkbox"
          role="switch"
          checked={save.isPending ? save.variables : enabled}
          aria-checked={save.isPending ? save.variables : enabled}
          disabled={save.isPending}
          onChange={(e) => save.mutate(e.target.checked)}
        />{' '}
        {t('assign.onArrival')}
      </label>
      <p className="field-hint">{t('assign.onArrivalHint')}</p>
      {save.isSuccess && <span role="status">{t('common.saved')}</span>}
      {save.isError && <p role="alert">{save.error.message}</p>}
    </section>
  );
}

function AgentsSection() {
  const agents = useAgents();
  return (
    <section aria-labelledby="agents-title">
      <h2 id="agents-title">{t('settings.agents')}</h2>
      {agents.isError && <p role="alert">The agents could not be listed: {agents.error.message}</p>}
      <ul className="agents">
        {agents.data?.map((a) => (
          <li key={a.agentId}>
            <AgentAvatar agentId={a.agentId} prefix="Agent" /> {a.name} <span className="field-hint">{a.email}</span> (
            {a.role}){a.availability === 'away' && <> · {t('assign.away')}</>}
          </li>
        ))}
      </ul>
    </section>
  );
}
