import type { Status } from '../api/client.ts';

/** The seed's status dot: green for open, red for closed, yellow for the others. */
export function StatusDot({ status, reminderIndex }: { status: Status; reminderIndex?: number }) {
  const label = status === 'reminder' && reminderIndex ? `reminder ${reminderIndex}` : status;
  const colour = status === 'open' ? 'green' : status === 'closed' ? 'red' : 'yellow';
  return <span className={`status-dot status-${colour}`} role="img" aria-label={`Status: ${label}`} title={label} />;
}
