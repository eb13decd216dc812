/**
 * Bulk selection against a mocked API (MSW): shift-click checks the range from the last card clicked, and
 * closing them sends ONE POST /v1/threads/bulk naming each, whose results per thread are shown.
 */
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderWithApi, server } from '../testing/render.tsx';
import { ThreadList } from './thread-list.tsx';

const card = (n: number) => ({
  threadId: `t${n}`,
  ref: `R${n}`,
  subject: `Subject ${n}`,
  snippet: '',
  status: 'open',
  tags: [],
  customerIds: [],
  hasAttachments: false,
  attachmentNames: [],
  hasMultipleMessages: false,
  messageCount: 1,
  itemCount: 1,
  updatedAt: '2026-12-06T00:00:00.000Z',
});

beforeAll(() => {
  server.listen({ onUnhandledFrame: 'error' });
  // The virtual list measures its scroll box: happy-dom lays nothing out, so the box is given a height.
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(2000);
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(400);
});
afterEach(() => {
  cleanup();
  server.resetHandlers();
});
afterAll(() => {
  server.close();
  vi.restoreAllMocks();
});

describe('bulk selection', () => {
  it('shift-click checks a range, and closing sends one request with a result per thread', async () => {
    const bulkBodies: unknown[] = [];
    server.use(
      http.get('*/v1/threads', () => HttpResponse.json({ items: Array.from({ length: 8 }, (_, i) => card(i + 1)) })),
      http.get('*/v1/agents', () => HttpResponse.json({ items: [] })),
      http.post('*/v1/threads/bulk', async ({ request }) => {
        const body = (await request.json()) as { threads: { threadId: string }[] };
        bulkBodies.push(body);
        return HttpResponse.json({
          results: body.threads.map((t) => ({
            threadId: t.threadId,
            result: t.threadId === 't4' ? 'conflict' : t.threadId === 't5' ? 'notFound' : 'done',
          })),
        });
      }),
    );
    const user = userEvent.setup();
    renderWithApi(<ThreadList filters={{}} basePath="/inbox" label="Threads" />);
    await user.click(await screen.findByRole('checkbox', { name: 'Select Subject 2' }));
    await user.keyboard('{Shift>}');
    await user.click(screen.getByRole('checkbox', { name: 'Select Subject 6' }));
    await user.keyboard('{/Shift}');
    const checked = screen
      .getAllByRole<HTMLInputElement>('checkbox')
      .filter((c) => c.checked)
      .map((c) => c.getAttribute('aria-label'));
    expect(checked).toEqual([2, 3, 4, 5, 6].map((n) => `Select Subject ${n}`));
    expect(screen.getByText('5 selected')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(await screen.findByText('3 done, 1 in conflict, 1 not found.')).toBeTruthy();
    expect(bulkBodies).toEqual([
      { threads: ['t2', 't3', 't4', 't5', 't6'].map((threadId) => ({ threadId })), status: 'closed' },
    ]);
    expect(screen.getByText('Subject 4: changed by someone else meanwhile')).toBeTruthy();
    // What was not done stays checked, to try again.
    await waitFor(() =>
      expect(
        screen
          .getAllByRole<HTMLInputElement>('checkbox')
          .filter((c) => c.checked)
          .map((c) => c.getAttribute('aria-label')),
      ).toEqual(['Select Subject 4', 'Select Subject 5']),
    );
  });
});
