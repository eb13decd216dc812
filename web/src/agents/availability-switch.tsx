/**
 * The signed-in agent's availability (PUT /v1/me/availability): an away agent gets no new thread when the
 * workspace assigns on arrival (docs/assignment.md). A checkbox with role "switch": its state is spoken.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { agentQueries } from './queries.ts';

export function AvailabilitySwitch() {
  const qc = useQueryClient();
  const me = useQuery(agentQueries.me());
  const set = useMutation({
    mutationFn: async (availability: 'available' | 'away') =>
      unwrap(await api.PUT('/v1/me/availability', { body: { availability } })),
    onSuccess: (agent) => {
      qc.setQueryData(agentQueries.me().queryKey, (old) => (old ? { ...old, agent } : old));
      void qc.invalidateQueries({ queryKey: agentQueries.list().queryKey });
    },
  });
  const agent = me.data?.agent;
  if (!agent) return null;
  const available = (set.variables ?? agent.availability ?? 'available') === 'available';
  return (
    <section aria-labelledby="availability-title">
      <h2 id="availability-title">{t('assign.availability')}</h2>
      <label className="availability-switch">
        <input
          type="checkbox"
          role="switch"
          checked={available}
          aria-checked={available}
          disabled={set.isPending}
          onChange={(e) => set.mutate(e.target.checked ? 'available' : 'away')}
        />{' '}
        {t('assign.available')}
      </label>
      <p className="field-hint" role="status">
        {available ? t('assign.availableHint') : t('assign.awayHint')}
      </p>
      {set.isError && <p role="alert">{set.error.message}</p>}
    </section>
  );
}
