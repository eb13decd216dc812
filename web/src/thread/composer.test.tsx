/**
 * The composer against a mocked API (MSW, at the network level): what the agent types is saved as a draft,
 * and Send sends that draft through its send route, to the thread's contact, then closes the composer.
 */
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { useState } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Thread } from '../api/client.ts';
import { renderWithApi, server } from '../testing/render.tsx';
import { Composer } from './composer.tsx';
import type { InlineImages } from './rich-editor.tsx';

// The rich editor (TipTap) is stood in for by a plain box that reports text and HTML as the editor does:
// ProseMirror reads typing through DOM mutations that happy-dom does not reproduce faithfully (it drops the
// first key in an empty document). These tests are about what the composer sends.
// Its "paste" button hands the files to the composer's images as the editor's paste handler does
// (rich-editor.test.tsx pastes into the real editor), and writes the `cid:` image the editor would.
vi.mock('./rich-editor.tsx', () => ({
  RichEditor: ({
    label,
    initialText,
    images,
    onChange,
  }: {
    label: string;
    initialText: string;
    images?: InlineImages;
    onChange: (html: string, text: string) => void;
  }) => {
    const [error, setError] = useState('');
    const [value, setValue] = useState(initialText);
    return (
      <>
        <textarea
          aria-label={label}
          data-editor="stand-in"
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            onChange(`<p>${e.target.value}</p>`, e.target.value);
          }}
        />
        <input
          type="file"
          aria-label="stand-in paste"
          onChange={async (e) => {
            const out = await images!.add([...(e.target.files ?? [])]);
            if ('error' in out) return setError(out.error);
            const img = out.images.map((i) => `<img src="${i.src}" alt="${i.alt}">`).join('');
            onChange(`<p>${value}</p><p>${img}</p>`, value);
          }}
        />
        {error && <p role="alert">{error}</p>}
      </>
    );
  },
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

  /** An email thread whose composer saves draft `d3` and sends it. */
  function emailThreadApi(contacts = ['catherine@example.com']) {
    server.use(
      http.get('*/v1/customers/c1/contacts', () =>
        HttpResponse.json({
          items: contacts.map((email, i) => ({ contactId: `k${i}`, email, customerIds: ['c1'] })),
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
      http.post('*/v1/threads/t1/drafts/d3/send', async ({ request }) => {
        await record(request);
        return HttpResponse.json({ itemId: 'm3', type: 'message' }, { status: 201 });
      }),
      http.post('*/v1/threads/t1/messages', async ({ request }) => {
        await record(request);
        return HttpResponse.json({ itemId: 'm3', type: 'message' }, { status: 201 });
      }),
    );
  }

  /** The draft as the server holds it after the calls so far: the creation, then each PATCH over it. */
  const savedDraft = () =>
    calls
      .filter((c) => c.path.endsWith('/drafts') || c.path.endsWith('/drafts/d3'))
      .reduce<Record<string, unknown>>((draft, c) => {
        Object.assign(draft, c.body);
        for (const [k, v] of Object.entries(draft)) if (v === null) delete draft[k];
        return draft;
      }, {});

  it('answers by email by default after a mail; CC, BCC and a dropped quote go in the draft, sent through its route', async () => {
    emailThreadApi(['catherine@example.com', 'compta@example.com', 'boss@example.com']);
    const onClose = vi.fn();
    renderWithApi(<Composer thread={{ ...thread, lastCustomerChannel: 'email' }} onClose={onClose} />);
    expect((screen.getByRole('radio', { name: 'Email' }) as HTMLInputElement).checked).toBe(true);
    const quote = screen.getByRole('checkbox', { name: 'Quote the last message' }) as HTMLInputElement;
    expect(quote.checked).toBe(true);
    expect(screen.getByText('A sent message cannot be edited: mail cannot be unsent.')).toBeTruthy();
    await screen.findByRole('checkbox', { name: /catherine@example.com/ });
    await userEvent.type(screen.getByLabelText('CC'), 'compta@example.com');
    await userEvent.type(screen.getByLabelText('BCC'), 'Boss@example.com');
    await userEvent.click(quote);
    await typeRich('Copies attached.');
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Draft saved'), { timeout: 3000 });
    expect(savedDraft()).toEqual({
      to: ['catherine@example.com'],
      cc: ['compta@example.com'],
      bcc: ['boss@example.com'],
      quote: false,
      text: 'Copies attached.',
      html: '<p>Copies attached.</p>',
    });
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    expect(calls.find((c) => c.path.endsWith('/drafts/d3/send'))?.body).toEqual({ channel: 'email' });
    // Everything goes through the draft: the messages route is not used.
    expect(calls.some((c) => c.path.endsWith('/messages'))).toBe(false);
  });

  it('sends a pasted image as an inline attachment whose contentId the HTML names', async () => {
    emailThreadApi();
    const onClose = vi.fn();
    renderWithApi(<Composer thread={{ ...thread, lastCustomerChannel: 'email' }} onClose={onClose} />);
    await screen.findByRole('checkbox', { name: /catherine@example.com/ });
    await typeRich('See the screen:');
    const png = new File([new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])], 'shot.png', { type: 'image/png' });
    await userEvent.upload(screen.getByLabelText('stand-in paste'), png);
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    const html = String(savedDraft().html);
    const cid = /<img src="cid:([^"]+)" alt="shot.png">/.exec(html)?.[1];
    expect(cid).toMatch(/^[A-Za-z0-9._@-]{1,100}$/);
    expect(calls.find((c) => c.path.endsWith('/drafts/d3/send'))?.body).toEqual({
      channel: 'email',
      attachments: [{ filename: 'shot.png', contentType: 'image/png', contentBase64: 'iVBORw0KGgo=', contentId: cid }],
    });
  });

  it('sends only the images still in the text, and counts only those against the budget', async () => {
    emailThreadApi();
    const onClose = vi.fn();
    renderWithApi(<Composer thread={{ ...thread, lastCustomerChannel: 'email' }} onClose={onClose} />);
    await screen.findByRole('checkbox', { name: /catherine@example.com/ });
    await typeRich('Two tries');
    const first = new File([new Uint8Array(4 * 1024 * 1024)], 'first.png', { type: 'image/png' });
    const second = new File([new Uint8Array(4 * 1024 * 1024)], 'second.png', { type: 'image/png' });
    await userEvent.upload(screen.getByLabelText('stand-in paste'), first);
    // Typing rewrites the stand-in's HTML without the image: as deleting it in the editor would.
    await userEvent.type(await richMessage(), '.');
    await userEvent.upload(screen.getByLabelText('stand-in paste'), second);
    expect(screen.queryByRole('alert')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    const sent = calls.find((c) => c.path.endsWith('/drafts/d3/send'))?.body as { attachments: { filename: string }[] };
    expect(sent.attachments.map((a) => a.filename)).toEqual(['second.png']);
  });

  it('refuses what is not an image, and files past the budget, with a clear message', async () => {
    emailThreadApi();
    renderWithApi(<Composer thread={{ ...thread, lastCustomerChannel: 'email' }} onClose={vi.fn()} />);
    await screen.findByRole('checkbox', { name: /catherine@example.com/ });
    await richMessage();
    const pdf = new File(['%PDF'], 'terms.pdf', { type: 'application/pdf' });
    await userEvent.upload(screen.getByLabelText('stand-in paste'), pdf, { applyAccept: false });
    expect((await screen.findByRole('alert')).textContent).toBe('terms.pdf is not an image: add it as an attachment.');
    cleanup();

    emailThreadApi();
    renderWithApi(<Composer thread={{ ...thread, lastCustomerChannel: 'email' }} onClose={vi.fn()} />);
    await screen.findByRole('checkbox', { name: /catherine@example.com/ });
    const big = new File([new Uint8Array(5 * 1024 * 1024)], 'scan.pdf', { type: 'application/pdf' });
    const bigger = new File([new Uint8Array(3 * 1024 * 1024)], 'photo.png', { type: 'image/png' });
    await userEvent.upload(screen.getByLabelText('Attachments'), big);
    expect(screen.queryByRole('alert')).toBeNull();
    await userEvent.upload(screen.getByLabelText('stand-in paste'), bigger);
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The files would come to 8.0 MB: a message carries at most 7.0 MB of files together.',
    );
  });
});
