/**
 * The side bar's views against a mocked API (MSW): the Late view (issue 24) is a link to the list of late
 * threads with its count, named in the Inbox's language.
 */
import { cleanup, screen } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderWithApi, server } from '../testing/render.tsx';
import { ViewLinks } from './view-links.tsx';

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
});
afterAll(() => server.close());

describe('ViewLinks', () => {
  it('links the Late view to the late threads, with its count', async () => {
    server.use(
      http.get('*/v1/views', () =>
        HttpResponse.json({
          items: [
            {
              id: 'all',
              kind: 'builtin',
              name: 'All',
              filter: { status: 'open' },
              countable: true,
              count: 12,
              countMore: false,
            },
            {
              id: 'late',
              kind: 'builtin',
              name: 'Late',
              filter: { late: 'true' },
              countable: true,
              count: 3,
              countMore: false,
            },
          ],
        }),
      ),
    );
    renderWithApi(
      <ul>
        <ViewLinks onNavigate={() => {}} />
      </ul>,
    );
    const late = await screen.findByRole('link', { name: /^Late\W+3$/ });
    expect(late.getAttribute('href')).toBe('/inbox?late=true');
    expect(screen.getByRole('link', { name: /^All\W+12$/ }).getAttribute('href')).toBe('/inbox?status=open');
  });
});
