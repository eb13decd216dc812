/**
 * The agent's preferences that belong to this browser (theme, language, pane widths), in localStorage.
 * A storage that throws (private mode, a full quota) leaves the defaults in place.
 */
const PREFIX = 'gochat.';

export function readPref(name: string): string | undefined {
  try {
    return localStorage.getItem(PREFIX + name) ?? undefined;
  } catch {
    return undefined;
  }
}

export function writePref(name: string, value: string | undefined) {
  try {
    if (value === undefined) localStorage.removeItem(PREFIX + name);
    else localStorage.setItem(PREFIX + name, value);
  } catch {
    // Not remembered, still applied.
  }
}
