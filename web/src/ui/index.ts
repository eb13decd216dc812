/** The Inbox's shared parts. Features import them from here; ui/ imports no feature. */
export { Avatar } from './avatar.tsx';
export { Badge, type BadgeTone } from './badge.tsx';
export { Button, type ButtonProps, IconButton } from './button.tsx';
export { Dialog } from './dialog.tsx';
export { EmptyState } from './empty-state.tsx';
export { ErrorBoundary } from './error-boundary.tsx';
export { Field } from './field.tsx';
export { Menu, type MenuOption, Picker } from './menu.tsx';
export { Panes } from './panes.tsx';
export { readPref, writePref } from './preferences.ts';
export { Skeleton } from './skeleton.tsx';
export { StatusDot, toneOf } from './status-dot.tsx';
export { effectiveTheme, initTheme, setTheme, type ThemeChoice, useTheme } from './theme.ts';
export { ToastProvider, useToast } from './toast.tsx';
