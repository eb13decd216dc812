/**
 * Search against a mocked API (MSW): the keyword box and the advanced search hand their filters over only
 * on submit (the URL is the search's one home), with the agents and customers the API lists as choices.
 */
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderWithApi, server } from '../testing/render.tsx';
import { SearchBar } from './search-bar.tsx';

// The lists the advanced search offers, answered for the whole file (queries may still be in flight when a
// test ends: resetting to these keeps them answered).
beforeAll(() => {
  server.listen({ onUnhandledFrame: 'error' });
  server.resetHandlers(
    http.get('*/v1/agents', () =>
      HttpResponse.json({
        items: [
          { agentId: 'a1', name: 'Ada Lovelace', email: 'ada@example.com', role: 'agent', avatar: { initials: 'AL' } },
        ],
      }),
    ),
    http.get('*/v1/customers', () =>
      HttpResponse.json({ items: [{ customerId: 'c1', name: 'Banque Martin', autoCreated: false }] }),
    ),
  );
});
afterEach(() => {
  cleanup();
  server.resetHandlers();
});
afterAll(() => server.close());

describe('SearchBar', () => {
  it('hands over the keywords on submit, not on each keystroke', async () => {
    const onChange = vi.fn();
    renderWithApi(<SearchBar filters={{}} onChange={onChange} />);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'contrat');
    expect(onChange).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(onChange).toHaveBeenCalledWith({ q: 'contrat' });
  });

  it('leaves the Late view for a keyword search (a list of its own, which the API does not search)', async () => {
    const onChange = vi.fn();
    renderWithApi(<SearchBar filters={{ late: 'true' }} onChange={onChange} />);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'contrat');
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(onChange).toHaveBeenCalledWith({ q: 'contrat', late: undefined });
  });

  it('filters by assignee, customer and tag from the advanced search', async () => {
    const onChange = vi.fn();
    renderWithApi(<SearchBar filters={{ q: 'facture' }} onChange={onChange} />);
    const toggle = screen.getByRole('button', { name: 'Advanced search' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await userEvent.click(toggle);
    const advanced = screen.getByRole('group', { name: 'Advanced search' });
    // The choices come from the API.
    await within(advanced).findByRole('option', { name: 'Ada Lovelace' });
    await within(advanced).findByRole('option', { name: 'Banque Martin' });
    await userEvent.selectOptions(within(advanced).getByLabelText('Assignee'), 'a1');
    await userEvent.selectOptions(within(advanced).getByLabelText('Customer'), 'c1');
    await userEvent.type(within(advanced).getByLabelText('Tag'), 'KYC');
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(onChange).toHaveBeenCalledWith({ q: 'facture', assignee: 'a1', customer: 'c1', tag: 'kyc' });
  });

  it('opens the advanced search when the URL already holds one of its filters', async () => {
    renderWithApi(<SearchBar filters={{ status: 'waiting' }} onChange={() => {}} />);
    const advanced = screen.getByRole('group', { name: 'Advanced search' });
    expect((within(advanced).getByLabelText('Status') as HTMLSelectElement).value).toBe('waiting');
    // Its lists come from the API (and are awaited, so that no request outlives the mocked server).
    await within(advanced).findByRole('option', { name: 'Banque Martin' });
    await within(advanced).findByRole('option', { name: 'Ada Lovelace' });
  });
});
