/**
 * A comment in the feed against a mocked API (MSW): its author edits it (PATCH with the comment's time),
 * the feed shows the "edited" mark, and deleting it offers Undo. Someone else's comment has no actions.
 */
import { useQuery } from '@tanstack/react-query';
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FeedItem } from '../api/client.ts';
import { renderWithApi, server } from '../testing/render.tsx';
import { Feed } from './feed.tsx';
import { threadQueries } from './queries.ts';

/** The feed as the thread view shows it: read from the API, refetched when a change invalidates it. */
function LiveFeed() {
  const feed = useQuery(threadQueries.feed('t1'));
  return feed.data ? <Feed threadId="t1" items={feed.data.items} /> : null;
}

vi.mock('../auth/session.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../auth/session.ts')>()),
  currentSession: () => ({ token: 'x', expiresAt: Date.now() + 3600_000, agentId: 'a1', workspaceIds: [] }),
}));

const at = '2026-12-05T10:00:00.000Z';
const mine = { type: 'comment', itemId: 'c1', at, actor: { kind: 'agent', id: 'a1' }, body: 'Call her back' };
const theirs = { type: 'comment', itemId: 'c2', at, actor: { kind: 'agent', id: 'a2' }, body: 'Done already' };

const calls: { method: string; url: URL; body?: unknown }[] = [];
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  calls.length = 0;
});
afterAll(() => server.close());

describe('Comments in the feed', () => {
  it("lets the author edit their own comment, and shows the feed's edited mark", async () => {
    let feed: FeedItem[] = [mine, theirs] as FeedItem[];
    server.use(
      http.get('*/v1/agents', () => HttpResponse.json({ items: [] })),
      http.get('*/v1/threads/t1/feed', () => HttpResponse.json({ items: feed })),
      http.patch('*/v1/threads/t1/comments/c1', async ({ request }) => {
        const body = (await request.json()) as { body: string };
        calls.push({ method: 'PATCH', url: new URL(request.url), body });
        const edited = { ...mine, body: body.body, editedAt: '2026-12-05T10:05:00.000Z' };
        feed = [edited, theirs] as FeedItem[];
        return HttpResponse.json(edited);
      }),
    );
    renderWithApi(<LiveFeed />);
    const own = await screen.findByRole('article', { name: /Comment by a1/ });
    const other = screen.getByRole('article', { name: /Comment by a2/ });
    // Only the author is offered the actions.
    expect(other.querySelector('button')).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const box = screen.getByRole('textbox', { name: 'Edit the comment' });
    await userEvent.clear(box);
    await userEvent.type(box, 'Call her back tomorrow');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]?.url.searchParams.get('at')).toBe(at);
    expect(calls[0]?.body).toEqual({ body: 'Call her back tomorrow' });
    await waitFor(() => expect(screen.queryByRole('textbox', { name: 'Edit the comment' })).toBeNull());
    // The feed's refetch brings the edited comment, with its mark.
    await waitFor(() => expect(own.textContent).toContain('(edited)'));
    expect(own.textContent).toContain('Call her back tomorrow');
    expect(own.textContent).toContain('(edited)');
    expect(other.textContent).not.toContain('edited');
  });

  it('hides a deleted comment at once and brings it back with Undo, without a DELETE', async () => {
    server.use(
      http.get('*/v1/agents', () => HttpResponse.json({ items: [] })),
      http.delete('*/v1/threads/t1/comments/c1', ({ request }) => {
        calls.push({ method: 'DELETE', url: new URL(request.url) });
        return new HttpResponse(null, { status: 204 });
      }),
    );
    renderWithApi(<Feed threadId="t1" items={[mine] as FeedItem[]} />);
    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(screen.queryByRole('article', { name: /Comment by a1/ })).toBeNull();
    await userEvent.click(await screen.findByRole('button', { name: 'Undo' }));
    expect(screen.getByRole('article', { name: /Comment by a1/ }).textContent).toContain('Call her back');
    expect(calls).toHaveLength(0);
  });
});
