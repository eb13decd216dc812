/**
 * Optimistic header edits against a mocked API (MSW): a status change shows at once in the thread and in
 * its card, and is rolled back when the server refuses it with a 409 (the version moved on meanwhile).
 */
import { type InfiniteData, QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Thread } from '../api/client.ts';
import { server } from '../testing/render.tsx';
import { type ListPage, threadQueries } from './queries.ts';
import { useUpdateThread } from './use-thread.ts';

const thread = { threadId: 't1', ref: 'A1', subject: 'S', status: 'open', tags: [], version: 4 } as unknown as Thread;
const card = { threadId: 't1', status: 'open', subject: 'S' } as unknown as ListPage['items'][number];

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function setup() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  qc.setQueryData(threadQueries.one('t1').queryKey, thread);
  qc.setQueryData<InfiniteData<ListPage>>(threadQueries.list({}).queryKey, {
    pages: [{ items: [card] }],
    pageParams: [undefined],
  });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={qc}>{children}</QueryClientProvider>
  );
  // The thread is on screen (observed), as in the messages view: an invalidation refetches it.
  const { result } = renderHook(
    () => {
      useQuery(threadQueries.one('t1'));
      return useUpdateThread('t1');
    },
    { wrapper },
  );
  const shown = () => ({
    thread: qc.getQueryData<Thread>(threadQueries.one('t1').queryKey)?.status,
    card: qc.getQueryData<InfiniteData<ListPage>>(threadQueries.list({}).queryKey)?.pages[0].items[0].status,
  });
  return { result, shown };
}

describe('useUpdateThread', () => {
  it('shows a status change at once, rolls it back on a 409, and reads the thread again', async () => {
    let release!: () => void;
    const answered = new Promise<void>((r) => {
      release = r;
    });
    server.use(
      http.patch('*/v1/threads/t1', async () => {
        await answered;
        return HttpResponse.json(
          { error: { code: 'version_conflict', message: 'The thread changed.' } },
          { status: 409 },
        );
      }),
      // The refetch after the conflict: the thread as the server has it now (someone set it to waiting).
      http.get('*/v1/threads/t1', () => HttpResponse.json({ ...thread, status: 'waiting', version: 5 })),
    );
    const { result, shown } = setup();
    let outcome: Promise<unknown>;
    act(() => {
      outcome = result.current.mutateAsync({ patch: { status: 'closed' }, version: 4 }).catch((e) => e);
    });
    await waitFor(() => expect(shown()).toEqual({ thread: 'closed', card: 'closed' }));
    release();
    const error = (await outcome!) as { status: number; code: string };
    expect(error).toMatchObject({ status: 409, code: 'version_conflict' });
    // The card is rolled back to what it showed; the thread is then read again, as the server has it.
    await waitFor(() => expect(shown()).toEqual({ thread: 'waiting', card: 'open' }));
  });

  it("keeps the server's answer when the change is accepted", async () => {
    server.use(
      http.patch('*/v1/threads/t1', () => HttpResponse.json({ ...thread, status: 'waiting', version: 5 })),
      http.get('*/v1/threads', () => HttpResponse.json({ items: [{ ...card, status: 'waiting' }] })),
      http.get('*/v1/threads/t1/feed', () => HttpResponse.json({ items: [] })),
    );
    const { result, shown } = setup();
    await act(() => result.current.mutateAsync({ patch: { status: 'waiting' }, version: 4 }));
    await waitFor(() => expect(shown()).toEqual({ thread: 'waiting', card: 'waiting' }));
  });
});
