import { useEffect } from 'react';

const PREFIX = /^\(\d+\+?\) /;

/** A favicon that is the unread count on the accent colour (an SVG, no canvas). */
export function badgeIcon(text: string): string {
  const size = text.length > 2 ? 26 : text.length > 1 ? 34 : 44;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle cx="32" cy="32" r="30" fill="#3e63dd"/><text x="32" y="32" dy=".35em" text-anchor="middle" font-family="sans-serif" font-weight="700" font-size="${size}" fill="#fff">${text}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** The tab's title ("(3) Go!Chat Inbox") and favicon show the unread notifications; nothing when none. */
export function useTabBadge(count: number, more: boolean) {
  useEffect(() => {
    const text = more ? '99+' : String(count);
    const base = document.title.replace(PREFIX, '');
    document.title = count > 0 ? `(${text}) ${base}` : base;
    const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (link) {
      link.dataset.plain ??= link.getAttribute('href') ?? '';
      link.setAttribute('href', count > 0 ? badgeIcon(text) : link.dataset.plain);
    }
  }, [count, more]);
  useEffect(
    () => () => {
      document.title = document.title.replace(PREFIX, '');
    },
    [],
  );
}
