/** Availability and assignment on arrival against a mocked API (MSW): each switch sends its one change. */
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AssignOnArrival } from '../settings/settings-page.tsx';
import { renderWithApi, server } from '../testing/render.tsx';
import { AvailabilitySwitch } from './availability-switch.tsx';

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
});
afterAll(() => server.close());

const ana = {
  agentId: 'ana',
  name: 'Ana Silva',
  email: 'ana@acme.test',
  role: 'agent',
  avatar: { initials: 'AS', colour: '#1f6feb' },
  availability: 'available',
};

describe('the availability switch', () => {
  it('shows the agent available, and marks them away with one PUT', async () => {
    const sent: unknown[] = [];
    server.use(
      http.get('*/v1/me', () =>
        HttpResponse.json({ workspaceId: 'ws', kind: 'agent', role: 'agent', scopes: [], agent: ana }),
      ),
      http.put('*/v1/me/availability', async ({ request }) => {
        const body = (await request.json()) as { availability: string };
        sent.push(body);
        return HttpResponse.json({ ...ana, availability: body.availability });
      }),
      http.get('*/v1/agents', () => HttpResponse.json({ items: [ana] })),
    );
    renderWithApi(<AvailabilitySwitch />);
    const toggle = await screen.findByRole('switch', { name: 'Available for new threads' });
    expect((toggle as HTMLInputElement).checked).toBe(true);
    expect(screen.getByRole('status').textContent).toContain('You are available');
    await userEvent.click(toggle);
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('You are away'));
    expect((toggle as HTMLInputElement).checked).toBe(false);
    expect(sent).toEqual([{ availability: 'away' }]);
  });
});

describe('assignment on arrival in the settings', () => {
  it('turns it on with one PUT of that field alone', async () => {
    let sent: unknown;
    server.use(
      http.put('*/v1/settings', async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json({
          policy: { reminders: 2, reminderDelaysSeconds: [259200], waitingDelaySeconds: 259200, afterWaiting: 'open' },
          sendCapPerAddress: 20,
          sendCapWindowSeconds: 3600,
          inboundAddresses: [],
          assignOnArrival: true,
        });
      }),
    );
    renderWithApi(<AssignOnArrival enabled={false} />);
    const toggle = screen.getByRole('switch', { name: 'Assign new threads on arrival' });
    expect((toggle as HTMLInputElement).checked).toBe(false);
    await userEvent.click(toggle);
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Saved'));
    expect(sent).toEqual({ assignOnArrival: true });
  });
});
