import type { Status } from '../api/client.ts';
import { t } from '../i18n/index.ts';

/** The seed's colours: green for open, red for closed, yellow for the others. */
export const toneOf = (status: Status) => (status === 'open' ? 'open' : status === 'closed' ? 'closed' : 'pending');

/** The seed's status dot, labelled with its status. */
export function StatusDot({ status, reminderIndex }: { status: Status; reminderIndex?: number }) {
  const label = status === 'reminder' && reminderIndex ? `reminder ${reminderIndex}` : status;
  const tone = toneOf(status);
  // The accessible name keeps the API's status word ("Status: open"), which tests and screen readers rely on.
  return (
    <span
      className={`status-dot status-${tone}`}
      role="img"
      aria-label={`${t('status.label')}: ${label}`}
      title={label}
    />
  );
}
