import type { Thread } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { Button } from '../ui/index.ts';
import type { ThreadPatch } from './use-thread.ts';

const describe = (p: ThreadPatch) =>
  Object.entries(p)
    .map(([k, v]) => `${k} → ${Array.isArray(v) ? v.join(', ') || 'none' : (v ?? 'none')}`)
    .join('; ');

/**
 * A stale edit (409 `version_conflict`), shown with both sides: the agent's change, not saved, and the thread
 * as it is now. The agent applies the change again on the current version, or drops it: never silently lost.
 * An alert in the header rather than a modal, so that the current thread stays readable beside it.
 */
export function ConflictDialog({
  thread,
  patch,
  onApply,
  onDiscard,
}: {
  thread: Thread;
  patch: ThreadPatch;
  onApply: () => void;
  onDiscard: () => void;
}) {
  return (
    <div role="alert" className="conflict">
      <p>
        <strong>{t('conflict.title')}</strong>{' '}
        {t('conflict.body', { version: thread.version, change: describe(patch) })}
      </p>
      <p>
        {t('conflict.now', {
          status: thread.status,
          assignee: thread.assignee ?? 'none',
          tags: thread.tags.join(', ') || 'none',
        })}
      </p>
      <div className="actions">
        <Button variant="primary" onClick={onApply}>
          {t('conflict.apply')}
        </Button>
        <Button onClick={onDiscard}>{t('conflict.discard')}</Button>
      </div>
    </div>
  );
}
