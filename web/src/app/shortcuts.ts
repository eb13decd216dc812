/**
 * Keyboard shortcuts: one document listener; the mounted screens register what each key does there.
 * Keys typed into a field, or with a modifier, are left alone.
 */
import { useEffect } from 'react';

import type { MessageKey } from '../i18n/index.ts';

export const SHORTCUTS: [string, MessageKey][] = [
  ['j', 'keys.next'],
  ['k', 'keys.previous'],
  ['Enter', 'keys.open'],
  ['r', 'keys.reply'],
  ['c', 'keys.comment'],
  ['e', 'keys.close'],
  ['a', 'keys.assign'],
  ['x', 'keys.select'],
  ['/', 'keys.search'],
  ['?', 'keys.help'],
];

type Handler = (e: KeyboardEvent) => void;
const handlers = new Map<string, Handler[]>();

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  const tag = el.tagName;
  // An open menu has the keys too (its arrows, Home, End): a letter there is not a shortcut.
  return (
    tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable || !!el.closest?.('[role="menu"]')
  );
}

function onKeyDown(e: KeyboardEvent) {
  if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || typing(e.target)) return;
  // Enter on a button or a link is that control's own action (a focused card's link opens it natively).
  if (e.key === 'Enter' && (e.target as HTMLElement | null)?.closest?.('button, a, summary, [role="button"]')) return;
  if (document.querySelector('dialog[open]') && e.key !== 'Escape') return;
  const list = handlers.get(e.key);
  const handler = list?.[list.length - 1];
  if (!handler) return;
  e.preventDefault();
  handler(e);
}

let installed = false;
function install() {
  if (installed) return;
  installed = true;
  document.addEventListener('keydown', onKeyDown);
}

/** Binds `key` to `handler` while the calling component is mounted (the latest binding wins). */
export function useShortcut(key: string, handler: Handler, enabled = true) {
  useEffect(() => {
    if (!enabled) return;
    install();
    const list = handlers.get(key) ?? [];
    list.push(handler);
    handlers.set(key, list);
    return () => {
      const current = handlers.get(key) ?? [];
      const i = current.lastIndexOf(handler);
      if (i >= 0) current.splice(i, 1);
    };
  }, [key, handler, enabled]);
}
