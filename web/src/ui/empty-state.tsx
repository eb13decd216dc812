import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';

/** What a pane shows when it has nothing: an icon, one sentence, and maybe the action that fills it. */
export function EmptyState({
  icon: Icon,
  title,
  children,
}: {
  icon?: LucideIcon;
  title: string;
  children?: ReactNode;
}) {
  return (
    <div className="empty-state">
      {Icon && <Icon className="empty-state-icon" aria-hidden="true" />}
      <p className="empty-state-title">{title}</p>
      {children}
    </div>
  );
}
