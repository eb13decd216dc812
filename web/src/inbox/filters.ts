/** The Inbox's search, kept in the URL (`?q=…&status=…`), so that a view can be reloaded and shared. */
export const FILTER_KEYS = ['q', 'status', 'assignee', 'tag', 'customer', 'hasAttachments', 'unread', 'late'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

export function filtersFrom(params: URLSearchParams): Filters {
  const f: Filters = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k)?.trim();
    if (v) f[k] = v;
  }
  return f;
}

export function searchOf(filters: Filters): string {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filters[k]) p.set(k, filters[k]!);
  const s = p.toString();
  return s ? `?${s}` : '';
}
