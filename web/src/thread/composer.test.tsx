/**
 * The composer against a mocked API (MSW, at the network level): what the agent types is saved as a draft,
 * and Send sends that draft through its send route, to the thread's contact, then closes the composer.
 */
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Thread } from '../api/client.ts';
import { renderWithApi, server } from '../testing/render.tsx';
import { Composer } from './composer.tsx';

const thread = {
  threadId: 't1',
  ref: 'A1B2',
  subject: 'Documents KYC',
  status: 'open',
  tags: [],
  customerIds: ['c1'],
  version: 3,
  latestContact: { email: 'catherine@example.com', name: 'Catherine Muller' },
} as unknown as Thread;

const calls: { method: string; path: string; body?: unknown }[] = [];
const record = async (request: Request) => {
  const body = request.method === 'GET' ? undefined : await request.clone().json();
  calls.push({ method: request.method, path: new URL(request.url).pathname, body });
};

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  calls.length = 0;
});
afterAll(() => server.close());

describe('Composer', () => {
  it('saves the text as a draft, then sends the draft to the contact and closes', async () => {
    server.use(
      http.get('*/v1/customers/c1/contacts', () =>
        HttpResponse.json({
          items: [{ contactId: 'k1', email: 'catherine@example.com', name: 'Catherine Muller', customerIds: ['c1'] }],
        }),
      ),
      http.get('*/v1/templates', () => HttpResponse.json({ items: [] })),
      http.get('*/v1/threads/t1/drafts', () => HttpResponse.json({ items: [] })),
      http.post('*/v1/threads/t1/drafts', async ({ request }) => {
        await record(request);
        return HttpResponse.json({ draftId: 'd1', threadId: 't1', mine: true }, { status: 201 });
      }),
      http.patch('*/v1/threads/t1/drafts/d1', async ({ request }) => {
        await record(request);
        return HttpResponse.json({ draftId: 'd1', threadId: 't1', mine: true });
      }),
      http.post('*/v1/threads/t1/drafts/d1/send', async ({ request }) => {
        await record(request);
        return HttpResponse.json({ itemId: 'm1', type: 'message' }, { status: 201 });
      }),
    );
    const onClose = vi.fn();
    renderWithApi(<Composer thread={thread} onClose={onClose} />);
    const form = screen.getByRole('form', { name: 'New message' });
    const recipient = await screen.findByRole('checkbox', { name: /catherine@example.com/ });
    expect((recipient as HTMLInputElement).checked).toBe(true);
    expect(form).toBeTruthy();

    await userEvent.type(screen.getByLabelText('Message'), 'Thank you, all received.');
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Draft saved'), { timeout: 3000 });
    const created = calls.find((c) => c.method === 'POST' && c.path.endsWith('/drafts'));
    expect(created?.body).toMatchObject({ to: ['catherine@example.com'] });
    const lastText = [...calls].reverse().find((c) => (c.body as { text?: string })?.text)?.body as { text: string };
    expect(lastText.text).toBe('Thank you, all received.');

    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    const send = calls.find((c) => c.path.endsWith('/drafts/d1/send'));
    expect(send).toBeDefined();
  });

  it('shows why a send failed, and stays open', async () => {
    server.use(
      http.get('*/v1/customers/c1/contacts', () =>
        HttpResponse.json({ items: [{ contactId: 'k1', email: 'catherine@example.com', customerIds: ['c1'] }] }),
      ),
      http.get('*/v1/templates', () => HttpResponse.json({ items: [] })),
      http.get('*/v1/threads/t1/drafts', () =>
        HttpResponse.json({ items: [{ draftId: 'd9', threadId: 't1', mine: true, text: 'Bonjour' }] }),
      ),
      http.patch('*/v1/threads/t1/drafts/d9', () => HttpResponse.json({ draftId: 'd9', threadId: 't1', mine: true })),
      http.post('*/v1/threads/t1/drafts/d9/send', () =>
        HttpResponse.json({ error: { code: 'thread_closed', message: 'The thread is closed.' } }, { status: 409 }),
      ),
    );
    const onClose = vi.fn();
    renderWithApi(<Composer thread={thread} onClose={onClose} />);
    // The agent's own draft comes back into the form.
    await waitFor(() => expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('Bonjour'));
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Not sent: The thread is closed.');
    expect(onClose).not.toHaveBeenCalled();
  });
});
