/**
 * Typing in the thread view: a live `typing` event of the customer shows "<name> is typing…" (named from the
 * feed's messages) for a few seconds; an agent's typing or another thread's does not show here.
 */
import { QueryClient } from '@tanstack/react-query';
import { act, cleanup, screen } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyChanges, TYPING_SHOWN_MS, typistsOf } from '../live/index.ts';
import { renderWithApi, server } from '../testing/render.tsx';
import { PresenceBar } from './presence.tsx';

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
});
afterAll(() => server.close());

const typing = (threadId: string, id: string) =>
  applyChanges(new QueryClient(), { type: 'changed', events: [{ threadId, changes: [{ entity: 'typing', id }] }] });

describe('PresenceBar typing', () => {
  it('shows the customer typing, named as in the feed, and not an agent or another thread', async () => {
    server.use(
      http.get('*/v1/agents', () => HttpResponse.json({ items: [] })),
      http.get('*/v1/threads/t1/presence', () => HttpResponse.json({ items: [] })),
      http.get('*/v1/threads/t1/feed', () =>
        HttpResponse.json({
          items: [
            {
              type: 'message',
              itemId: 'm1',
              at: '2026-12-01T10:00:00.000Z',
              direction: 'inbound',
              contactId: 'c1',
              from: { address: 'alice@example.com', name: 'Alice Martin' },
            },
          ],
        }),
      ),
    );
    renderWithApi(<PresenceBar threadId="t1" />);
    const status = await screen.findByRole('status');
    act(() => {
      typing('t1', 'agent:ana');
      typing('t2', 'customer:c1');
    });
    expect(status.textContent).toBe('');
    act(() => typing('t1', 'customer:c1'));
    await screen.findByText('Alice Martin is typing…');
    expect(typistsOf('t1')).toEqual(['agent:ana', 'customer:c1']);
    // Ephemeral: gone a few seconds after the last signal.
    expect(typistsOf('t1', Date.now() + TYPING_SHOWN_MS + 1)).toEqual([]);
  });
});
