/**
 * The Inbox's strings, in English and French (the seed is French), through rosetta (300 bytes): a flat table
 * per language, `{{name}}` placeholders, functions for plurals. The keys are the English table's, so a
 * missing or misspelt key fails the type check.
 */

import { useSyncExternalStore } from 'react';
import rosetta from 'rosetta';
import { en, type Messages } from './en.ts';
import { fr } from './fr.ts';

export type MessageKey = keyof typeof en;
export const LANGUAGES = { en: 'English', fr: 'Français' } as const;
export type Language = keyof typeof LANGUAGES;

const i18n = rosetta<Messages>({ en, fr });
const listeners = new Set<() => void>();

// The language is remembered in this browser, like the theme (ui/preferences.ts, not imported: ui/ uses t()).
const STORAGE_KEY = 'gochat.lang';

function detect(): Language {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch {
    // No storage: the browser's language decides.
  }
  if (saved === 'en' || saved === 'fr') return saved;
  return typeof navigator !== 'undefined' && navigator.language?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

let language: Language = detect();
i18n.locale(language);
if (typeof document !== 'undefined') document.documentElement.lang = language;

/** The string for `key` in the current language (English when the language lacks it). */
export function t(key: MessageKey, params?: Record<string, unknown>): string {
  // The key goes in as a one-element path: rosetta would otherwise split "nav.inbox" on its dot.
  return i18n.t([key], params) || i18n.t([key], params, 'en');
}

export const locale = (): Language => language;

export function setLanguage(next: Language) {
  language = next;
  i18n.locale(next);
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Applied, not remembered.
  }
  document.documentElement.lang = next;
  for (const l of listeners) l();
}

/** Re-renders the caller when the language changes. */
export function useLanguage(): Language {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => language,
  );
}

/** "1 item", "3 items": the language's plural rules pick the form. */
export function plural(n: number, one: MessageKey, many: MessageKey): string {
  const rule = new Intl.PluralRules(language).select(n);
  return t(rule === 'one' ? one : many, { n });
}
