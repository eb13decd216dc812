import type { ReactNode } from 'react';

export type BadgeTone = 'neutral' | 'accent' | 'danger' | 'warning' | 'success';

/** A short label: a tag, a flag, the unread mark. */
export function Badge({ tone = 'neutral', children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}
