/**
 * Admin: the business hours (time zone, one span per weekday, holidays) and the SLA targets (docs/reports.md),
 * saved together with PUT /v1/settings. Without business hours every hour counts (sent as `null`); an SLA
 * with no target is no SLA (`null`). A day with several spans shows its first one: saving keeps the others.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, type Schemas, unwrap } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { Button } from '../ui/index.ts';
import { settingsQueries } from './queries.ts';
import './business-hours.css';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Day = (typeof DAYS)[number];
type Week = Record<Day, { on: boolean; start: string; end: string }>;
const TARGETS = ['firstResponseMinutes', 'nextResponseMinutes', 'resolutionMinutes', 'warningPercent'] as const;

function initialWeek(hours: Schemas['BusinessHours'] | undefined): Week {
  const week = {} as Week;
  for (const d of DAYS) {
    const span = hours?.week[d]?.[0];
    const workday = d !== 'sat' && d !== 'sun';
    week[d] = span ? { on: true, ...span } : { on: !hours && workday, start: '09:00', end: '17:00' };
  }
  return week;
}

export function BusinessHoursForm({ settings }: { settings: Schemas['Settings'] }) {
  const qc = useQueryClient();
  const hours = settings.businessHours;
  const [enabled, setEnabled] = useState(Boolean(hours));
  const [zone, setZone] = useState(hours?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [week, setWeek] = useState(() => initialWeek(hours));
  const [holidays, setHolidays] = useState((hours?.holidays ?? []).join('\n'));
  const [sla, setSla] = useState(() =>
    Object.fromEntries(TARGETS.map((k) => [k, settings.sla?.[k]?.toString() ?? ''])),
  );
  const save = useMutation({
    mutationFn: async (body: Schemas['SettingsInput']) => unwrap(await api.PUT('/v1/settings', { body })),
    onSuccess: (s) => qc.setQueryData(settingsQueries.one().queryKey, s),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const businessHours: Schemas['BusinessHours'] | null = enabled
      ? {
          timeZone: zone.trim(),
          week: Object.fromEntries(
            DAYS.filter((d) => week[d].on).map((d) => [
              d,
              [{ start: week[d].start, end: week[d].end }, ...(hours?.week[d]?.slice(1) ?? [])],
            ]),
          ),
          holidays: holidays
            .split(/[\s,]+/)
            .map((h) => h.trim())
            .filter(Boolean),
        }
      : null;
    const targets = Object.fromEntries(
      TARGETS.filter((k) => sla[k]!.trim() !== '').map((k) => [k, Number(sla[k])]),
    ) as Schemas['SlaPolicy'];
    const anyTarget = TARGETS.slice(0, 3).some((k) => targets[k] !== undefined);
    save.mutate({ businessHours, sla: anyTarget ? targets : null });
  };
  return (
    <section aria-labelledby="hours-title">
      <h2 id="hours-title">{t('settings.hours')}</h2>
      <form className="hours-form" onSubmit={submit}>
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          {t('settings.hoursOn')}
        </label>
        {enabled && (
          <>
            <label>
              {t('settings.timeZone')}
              <input value={zone} onChange={(e) => setZone(e.target.value)} required spellCheck={false} />
            </label>
            <fieldset>
              <legend>{t('settings.week')}</legend>
              <table className="hours-week">
                <tbody>
                  {DAYS.map((d) => (
                    <tr key={d}>
                      <th scope="row">
                        <label className="check">
                          <input
                            type="checkbox"
                            checked={week[d].on}
                            onChange={(e) => setWeek({ ...week, [d]: { ...week[d], on: e.target.checked } })}
                          />
                          {t(`settings.day.${d}`)}
                        </label>
                      </th>
                      <td>
                        <input
                          type="time"
                          aria-label={t('settings.opens', { day: t(`settings.day.${d}`) })}
                          disabled={!week[d].on}
                          value={week[d].start}
                          onChange={(e) => setWeek({ ...week, [d]: { ...week[d], start: e.target.value } })}
                        />
                      </td>
                      <td>
                        <input
                          type="time"
                          aria-label={t('settings.closes', { day: t(`settings.day.${d}`) })}
                          disabled={!week[d].on}
                          value={week[d].end === '24:00' ? '23:59' : week[d].end}
                          onChange={(e) => setWeek({ ...week, [d]: { ...week[d], end: e.target.value } })}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </fieldset>
            <label>
              {t('settings.holidays')}
              <textarea
                rows={3}
                value={holidays}
                onChange={(e) => setHolidays(e.target.value)}
                placeholder="2026-12-25"
              />
            </label>
          </>
        )}
        <fieldset>
          <legend>{t('settings.sla')}</legend>
          {TARGETS.map((k) => (
            <label key={k}>
              {t(`settings.sla.${k}`)}
              <input
                type="number"
                min={1}
                max={k === 'warningPercent' ? 99 : undefined}
                value={sla[k]}
                onChange={(e) => setSla({ ...sla, [k]: e.target.value })}
              />
            </label>
          ))}
        </fieldset>
        <Button type="submit" disabled={save.isPending}>
          {t('settings.saveHours')}
        </Button>
        {save.isSuccess && <span role="status">{t('common.saved')}</span>}
        {save.isError && <p role="alert">{save.error.message}</p>}
      </form>
    </section>
  );
}
