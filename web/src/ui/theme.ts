import { useSyncExternalStore } from 'react';
import { readPref, writePref } from './preferences.ts';

/** `system` follows prefers-color-scheme (the tokens' light-dark()); `light` and `dark` pin one. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const listeners = new Set<() => void>();
let choice: ThemeChoice = 'system';

function apply() {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

/** Applies the remembered theme; called once before the first render. */
export function initTheme() {
  const saved = readPref('theme');
  choice = saved === 'light' || saved === 'dark' ? saved : 'system';
  apply();
}

export function setTheme(next: ThemeChoice) {
  choice = next;
  writePref('theme', next === 'system' ? undefined : next);
  apply();
  for (const l of listeners) l();
}

/** The theme shown now (a `system` choice resolved against the system's preference). */
export function effectiveTheme(): 'light' | 'dark' {
  if (choice !== 'system') return choice;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function useTheme(): ThemeChoice {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => choice,
  );
}
