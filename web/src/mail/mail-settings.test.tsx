/** The mailboxes' settings against a mocked API (MSW): a mailbox's name, From format and signature are saved. */
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderWithApi, server } from '../testing/render.tsx';
import { MailboxesSection } from './mail-settings.tsx';

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
});
afterAll(() => server.close());

describe('Mailboxes settings', () => {
  it("saves a mailbox's display name, From format and signature", async () => {
    let sent: unknown;
    const billing = {
      mailboxId: 'billing',
      address: 'billing@acme.test',
      fromFormat: 'agentFromMailbox',
      createdAt: '2026-12-01T00:00:00.000Z',
    };
    server.use(
      http.get('*/v1/mailboxes', () => HttpResponse.json({ items: [billing] })),
      http.patch('*/v1/mailboxes/billing', async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json({ ...billing, displayName: 'Acme Billing', fromFormat: 'mailbox' });
      }),
    );
    renderWithApi(<MailboxesSection />);
    const form = await screen.findByRole('form', { name: 'billing@acme.test' });
    await userEvent.type(screen.getByLabelText('Display name'), 'Acme Billing');
    await userEvent.selectOptions(screen.getByLabelText('From'), 'mailbox');
    await userEvent.type(screen.getByLabelText('Signature'), 'The billing team');
    await userEvent.click(screen.getByRole('button', { name: 'Save mailbox' }));
    await waitFor(() => expect(form.textContent).toContain('Saved'));
    expect(sent).toEqual({ displayName: 'Acme Billing', fromFormat: 'mailbox', signature: 'The billing team' });
  });
});
