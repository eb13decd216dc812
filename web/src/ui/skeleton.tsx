import { t } from '../i18n/index.ts';

/** Grey lines where content is coming: the pane keeps its shape while it loads. */
export function Skeleton({ lines = 3, label }: { lines?: number; label?: string }) {
  return (
    <div className="skeleton" role="status" aria-busy="true" aria-label={label ?? t('common.loading')}>
      {Array.from({ length: lines }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholder lines
        <span key={i} className="skeleton-line" />
      ))}
    </div>
  );
}
