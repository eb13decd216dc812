import { AlarmClock } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { fullTime } from '../../../design/format.ts';
import type { Thread } from '../api/client.ts';
import { locale, t } from '../i18n/index.ts';
import { Button, Menu } from '../ui/index.ts';
import type { ThreadPatch } from './use-thread.ts';

type Preset = 'laterToday' | 'tomorrow' | 'monday' | 'custom';

/** The presets' times, in the agent's local time: in 3 hours (on the hour), tomorrow 9:00, next Monday 9:00. */
export function snoozePresets(now = new Date()): Record<Exclude<Preset, 'custom'>, Date> {
  const later = new Date(now);
  later.setHours(later.getHours() + 3, 0, 0, 0);
  const tomorrow = new Date(now);
  tomorrow.setDate(tomorrow.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  const monday = new Date(now);
  monday.setDate(monday.getDate() + ((8 - monday.getDay()) % 7 || 7));
  monday.setHours(9, 0, 0, 0);
  return { laterToday: later, tomorrow, monday };
}

/** `datetime-local`'s value for a date, in local time. */
const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/**
 * Snooze from the thread's header: the thread leaves the open views until the chosen time (a preset or a
 * custom date-time), then comes back open (or at once on a customer's reply). It is a status: choosing
 * another status in the status menu unsnoozes it.
 */
export function SnoozeField({
  thread,
  save,
}: {
  thread: Thread;
  save: (patch: ThreadPatch, version: number) => Promise<boolean>;
}) {
  const [custom, setCustom] = useState<string>();
  const presets = snoozePresets();
  const snooze = (until: Date) => save({ status: 'snoozed', snoozedUntil: until.toISOString() }, thread.version);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!custom) return;
    const at = new Date(custom);
    if (Number.isNaN(at.getTime()) || at.getTime() <= Date.now()) return;
    void snooze(at).then((ok) => ok && setCustom(undefined));
  };
  return (
    <span className="field-inline snooze">
      <Menu<Preset | ''>
        label={t('snooze.label')}
        icon={AlarmClock}
        value=""
        renderValue={() => t('snooze.label')}
        options={[
          {
            value: 'laterToday',
            label: t('snooze.laterToday', { time: fullTime(presets.laterToday.toISOString(), locale()) }),
          },
          {
            value: 'tomorrow',
            label: t('snooze.tomorrow', { time: fullTime(presets.tomorrow.toISOString(), locale()) }),
          },
          { value: 'monday', label: t('snooze.monday', { time: fullTime(presets.monday.toISOString(), locale()) }) },
          { value: 'custom', label: t('snooze.custom') },
        ]}
        onSelect={(p) => {
          if (p === 'custom') setCustom(localInput(presets.tomorrow));
          else if (p) void snooze(presets[p]);
        }}
      />
      {custom !== undefined && (
        <form className="snooze-custom" onSubmit={submit}>
          <label htmlFor={`snooze-${thread.threadId}`} className="visually-hidden">
            {t('snooze.until')}
          </label>
          <input
            id={`snooze-${thread.threadId}`}
            type="datetime-local"
            value={custom}
            min={localInput(new Date())}
            onChange={(e) => setCustom(e.target.value)}
          />
          <Button type="submit" size="sm" variant="primary">
            {t('snooze.submit')}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setCustom(undefined)}>
            {t('snooze.cancel')}
          </Button>
        </form>
      )}
      {thread.status === 'snoozed' && thread.snoozedUntil && (
        <span className="snoozed-until">{t('snooze.until.at', { time: fullTime(thread.snoozedUntil, locale()) })}</span>
      )}
    </span>
  );
}
