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

// The rich editor (TipTap) is stood in for by a plain box that reports text and HTML as the editor does:
// ProseMirror reads typing through DOM mutations that happy-dom does not reproduce faithfully (it drops the
// first key in an empty document). These tests are about what the composer sends.
vi.mock('./rich-editor.tsx', () => ({
  RichEditor: ({
    label,
    initialText,
    onChange,
  }: {
    label: string;
    initialText: string;
    onChange: (html: string, text: string) => void;
  }) => (
    <textarea
      aria-label={label}
      data-editor="stand-in"
      defaultValue={initialText}
      onChange={(e) => onChange(`<p>${e.target.value}</p>`, e.target.value)}
    />
  ),
}));

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

/** The email's message box: the rich editor, once its chunk has loaded (the plain box stands in until then). */
const richMessage = () =>
  waitFor(() => {
    const box = screen.getByRole('textbox', { name: 'Message' });
    expect(box.getAttribute('data-editor')).toBe('stand-in');
    return box as HTMLTextAreaElement;
  });

async function typeRich(value: string) {
  await userEvent.type(await richMessage(), value);
}

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

    await typeRich('Thank you, all received.');
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
    await waitFor(async () => expect((await richMessage()).value).toBe('Bonjour'));
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Not sent: The thread is closed.');
    expect(onClose).not.toHaveBeenCalled();
  });

  it("answers by chat when the customer's last message came by chat, and sends the draft as chat", async () => {
    server.use(
      http.get('*/v1/customers/c1/contacts', () =>
        HttpResponse.json({ items: [{ contactId: 'k1', email: 'catherine@example.com', customerIds: ['c1'] }] }),
      ),
      http.get('*/v1/templates', () => HttpResponse.json({ items: [] })),
      http.get('*/v1/threads/t1/drafts', () => HttpResponse.json({ items: [] })),
      http.post('*/v1/threads/t1/drafts', async ({ request }) => {
        await record(request);
        return HttpResponse.json({ draftId: 'd2', threadId: 't1', mine: true }, { status: 201 });
      }),
      http.post('*/v1/threads/t1/drafts/d2/send', async ({ request }) => {
        await record(request);
        return HttpResponse.json({ itemId: 'm2', type: 'message' }, { status: 201 });
      }),
    );
    const onClose = vi.fn();
    renderWithApi(<Composer thread={{ ...thread, lastCustomerChannel: 'chat' }} onClose={onClose} />);
    expect((screen.getByRole('radio', { name: 'Chat' }) as HTMLInputElement).checked).toBe(true);
    // Mail-only fields are not offered for a chat answer.
    expect(screen.queryByLabelText('CC')).toBeNull();
    expect(screen.queryByRole('checkbox', { name: 'Quote the last message' })).toBeNull();
    expect(screen.getByText('A sent message cannot be edited.')).toBeTruthy();
    await screen.findByRole('checkbox', { name: /catherine@example.com/ });
    await userEvent.type(screen.getByLabelText('Message'), 'On it!');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    expect(calls.find((c) => c.path.endsWith('/drafts/d2/send'))?.body).toMatchObject({ channel: 'chat' });
    expect(calls.find((c) => c.path.endsWith('/drafts'))?.body).not.toHaveProperty('cc');
  });

  it('answers by email by default after a mail, and sends CC and BCC in the request', async () => {
    server.use(
      http.get('*/v1/customers/c1/contacts', () =>
        HttpResponse.json({
          items: [
            { contactId: 'k1', email: 'catherine@example.com', customerIds: ['c1'] },
            { contactId: 'k2', email: 'compta@example.com', customerIds: ['c1'] },
            { contactId: 'k3', email: 'boss@example.com', customerIds: ['c1'] },
          ],
        }),
      ),
      http.get('*/v1/templates', () => HttpResponse.json({ items: [] })),
      http.get('*/v1/threads/t1/drafts', () => HttpResponse.json({ items: [] })),
      http.post('*/v1/threads/t1/drafts', async ({ request }) => {
        await record(request);
        return HttpResponse.json({ draftId: 'd3', threadId: 't1', mine: true }, { status: 201 });
      }),
      http.patch('*/v1/threads/t1/drafts/d3', async ({ request }) => {
        await record(request);
        return HttpResponse.json({ draftId: 'd3', threadId: 't1', mine: true });
      }),
      http.delete('*/v1/threads/t1/drafts/d3', async ({ request }) => {
        calls.push({ method: request.method, path: new URL(request.url).pathname });
        return new HttpResponse(null, { status: 204 });
      }),
      http.post('*/v1/threads/t1/messages', async ({ request }) => {
        await record(request);
        calls.push({ method: 'KEY', path: request.headers.get('Idempotency-Key') ?? '' });
        return HttpResponse.json({ itemId: 'm3', type: 'message' }, { status: 201 });
      }),
    );
    const onClose = vi.fn();
    renderWithApi(<Composer thread={{ ...thread, lastCustomerChannel: 'email' }} onClose={onClose} />);
    expect((screen.getByRole('radio', { name: 'Email' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'Quote the last message' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText('A sent message cannot be edited: mail cannot be unsent.')).toBeTruthy();
    await screen.findByRole('checkbox', { name: /catherine@example.com/ });
    await userEvent.type(screen.getByLabelText('CC'), 'compta@example.com');
    await userEvent.type(screen.getByLabelText('BCC'), 'Boss@example.com');
    await typeRich('Copies attached.');
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Draft saved'), { timeout: 3000 });
    // The draft keeps CC (a draft has no BCC).
    expect(calls.find((c) => c.path.endsWith('/drafts'))?.body).toMatchObject({ cc: ['compta@example.com'] });
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    const sent = calls.find((c) => c.path.endsWith('/messages'));
    expect(sent?.body).toEqual({
      to: ['catherine@example.com'],
      text: 'Copies attached.',
      html: '<p>Copies attached.</p>',
      channel: 'email',
      quote: true,
      cc: ['compta@example.com'],
      bcc: ['boss@example.com'],
    });
    expect(calls.find((c) => c.method === 'KEY')?.path).toMatch(/^[0-9a-f]{32}$/);
    // The draft it replaced is dropped, not left behind.
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE')).toBe(true));
  });
});
