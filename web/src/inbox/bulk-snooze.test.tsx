/** Bulk snooze against a mocked API (MSW): one POST /v1/threads/bulk with status snoozed and the preset's time. */
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderWithApi, server } from '../testing/render.tsx';
import { snoozePresets } from '../thread/index.ts';
import { BulkBar } from './bulk-bar.tsx';

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
});
afterAll(() => server.close());

describe('bulk snooze', () => {
  it('snoozes the selected threads until tomorrow 9:00 in one request, and shows the result per thread', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.get('*/v1/agents', () => HttpResponse.json({ items: [] })),
      http.post('*/v1/threads/bulk', async ({ request }) => {
        const body = (await request.json()) as { threads: { threadId: string }[] };
        bodies.push(body);
        return HttpResponse.json({
          results: body.threads.map((t) => ({ threadId: t.threadId, result: 'done', version: 2, changed: true })),
        });
      }),
    );
    const user = userEvent.setup();
    renderWithApi(<BulkBar selected={['t1', 't2']} subjectOf={(id) => id} onDone={() => {}} onClear={() => {}} />);
    await user.click(screen.getByRole('button', { name: /^Snooze the selected threads/ }));
    await user.click(screen.getByRole('menuitemradio', { name: /^Tomorrow/ }));
    expect(await screen.findByText('2 done, 0 in conflict, 0 not found.')).toBeTruthy();
    expect(bodies).toEqual([
      {
        threads: [{ threadId: 't1' }, { threadId: 't2' }],
        status: 'snoozed',
        snoozedUntil: snoozePresets().tomorrow.toISOString(),
      },
    ]);
  });
});
