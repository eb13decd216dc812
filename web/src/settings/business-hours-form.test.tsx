/**
 * The business hours and SLA form against a mocked API (MSW): what it sends with PUT /v1/settings, and that
 * an empty SLA and unticked hours are sent as `null` (cleared), as the API reads them.
 */
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Schemas } from '../api/client.ts';
import { renderWithApi, server } from '../testing/render.tsx';
import { BusinessHoursForm } from './business-hours-form.tsx';

const SETTINGS: Schemas['Settings'] = {
  policy: { reminders: 2, reminderDelaysSeconds: [259_200], waitingDelaySeconds: 604_800, afterWaiting: 'closed' },
  sendCapPerAddress: 20,
  sendCapWindowSeconds: 3600,
  inboundAddresses: ['support@example.com'],
};

const sent: unknown[] = [];
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  sent.length = 0;
});
afterAll(() => server.close());

function answer() {
  server.use(
    http.put('*/v1/settings', async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      sent.push(body);
      return HttpResponse.json({ ...SETTINGS, ...body });
    }),
  );
}

describe('BusinessHoursForm', () => {
  it('sends the weekly hours, the holidays and the SLA targets', async () => {
    answer();
    renderWithApi(<BusinessHoursForm settings={SETTINGS} />);
    await userEvent.click(screen.getByRole('checkbox', { name: /Count business hours only/ }));
    const zone = screen.getByRole('textbox', { name: /Time zone/ });
    await userEvent.clear(zone);
    await userEvent.type(zone, 'Europe/Paris');
    // Monday to Friday are ticked by default; Friday closes earlier.
    const friday = screen.getByLabelText('Friday closes at');
    await userEvent.clear(friday);
    await userEvent.type(friday, '16:00');
    await userEvent.type(screen.getByRole('textbox', { name: /Holidays/ }), '2026-12-25{enter}2027-01-01');
    await userEvent.type(screen.getByRole('spinbutton', { name: 'First response' }), '60');
    await userEvent.click(screen.getByRole('button', { name: 'Save hours and SLA' }));
    await screen.findByRole('status');
    const day = { start: '09:00', end: '17:00' };
    expect(sent).toEqual([
      {
        businessHours: {
          timeZone: 'Europe/Paris',
          week: { mon: [day], tue: [day], wed: [day], thu: [day], fri: [{ start: '09:00', end: '16:00' }] },
          holidays: ['2026-12-25', '2027-01-01'],
        },
        sla: { firstResponseMinutes: 60 },
      },
    ]);
  });

  it('clears the hours and the SLA when they are emptied', async () => {
    answer();
    renderWithApi(
      <BusinessHoursForm
        settings={{
          ...SETTINGS,
          businessHours: { timeZone: 'Europe/Paris', week: { mon: [{ start: '08:00', end: '24:00' }] } },
          sla: { resolutionMinutes: 480 },
        }}
      />,
    );
    expect((screen.getByLabelText('Monday opens at') as HTMLInputElement).value).toBe('08:00');
    await userEvent.click(screen.getByRole('checkbox', { name: /Count business hours only/ }));
    await userEvent.clear(screen.getByRole('spinbutton', { name: 'Resolution' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save hours and SLA' }));
    await screen.findByRole('status');
    expect(sent).toEqual([{ businessHours: null, sla: null }]);
  });
});
