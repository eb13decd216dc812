import type { Schemas } from '../api/client.ts';

/** A delay in the units a person thinks in. */
export function duration(seconds: number): string {
  const units: [number, string][] = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units)
    if (seconds >= size && seconds % size === 0) return `${seconds / size} ${name}${seconds / size === 1 ? '' : 's'}`;
  return `${seconds} seconds`;
}

/** The steps of a reminder policy: open → reminder 1 → … → waiting → reopen (or close). */
export function timelineOf(p: Schemas['StatusPolicy']): { label: string; after?: string }[] {
  const delays = p.reminderDelaysSeconds;
  const delay = (i: number) => delays[Math.min(i, delays.length - 1)] ?? delays[delays.length - 1];
  const steps: { label: string; after?: string }[] = [{ label: 'open' }];
  for (let i = 0; i < p.reminders; i++) steps.push({ label: `reminder ${i + 1}` });
  steps.push({
    label: 'waiting',
    after: p.reminders > 0 ? `${duration(delay(p.reminders - 1))}: reminder ${p.reminders} sent` : undefined,
  });
  for (let i = 1; i < p.reminders; i++) steps[i + 1].after = `${duration(delay(i - 1))}: reminder ${i} sent`;
  steps.push({ label: p.afterWaiting === 'open' ? 'reopen' : 'close', after: duration(p.waitingDelaySeconds) });
  return steps;
}

/** The reminder policy drawn as its timeline. */
export function PolicyTimeline({ policy }: { policy: Schemas['StatusPolicy'] }) {
  const steps = timelineOf(policy);
  return (
    <ol className="timeline" aria-label="Reminder policy timeline">
      {steps.map((s) => (
        <li key={s.label}>
          {s.after && <span className="arrow">→ after {s.after} →</span>}
          <span className={`step step-${s.label.split(' ')[0]}`}>{s.label}</span>
        </li>
      ))}
    </ol>
  );
}
