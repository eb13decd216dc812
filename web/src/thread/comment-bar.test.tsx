/**
 * Mentions in the comment bar against a mocked API (MSW): `@` opens the agents' picker, the pick is written
 * `@Name`, and the comment goes with `mentions: [agentId]`.
 */
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderWithApi, server } from '../testing/render.tsx';
import { CommentBar } from './comment-bar.tsx';

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
});
afterAll(() => server.close());

describe('CommentBar mentions', () => {
  it('@ opens the picker and the comment is sent with the picked agent in mentions', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.get('*/v1/agents', () =>
        HttpResponse.json({
          items: [
            {
              agentId: 'a1',
              name: 'Ada Lovelace',
              email: 'ada@example.com',
              role: 'agent',
              avatar: { initials: 'AL' },
            },
            { agentId: 'a2', name: 'Rea Martin', email: 'rea@example.com', role: 'agent', avatar: { initials: 'RM' } },
          ],
        }),
      ),
      http.post('*/v1/threads/t1/comments', async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({ itemId: 'c1' }, { status: 201 });
      }),
      http.get('*/v1/threads/*', () => HttpResponse.json({ items: [] })),
    );
    const user = userEvent.setup();
    renderWithApi(<CommentBar threadId="t1" />);
    const box = screen.getByRole('textbox', { name: 'Comment' });
    await screen.findByRole('button', { name: /Mention an agent/ });
    await user.type(box, 'Hi @');
    const search = await screen.findByRole('combobox', { name: 'Mention an agent' });
    await user.type(search, 'rea{Enter}');
    await waitFor(() => expect((box as HTMLTextAreaElement).value).toBe('Hi @Rea Martin '));
    await user.click(box);
    await user.type(box, 'could you check');
    await user.click(screen.getByRole('button', { name: 'Add comment' }));
    await waitFor(() => expect(bodies).toEqual([{ body: 'Hi @Rea Martin could you check', mentions: ['a2'] }]));
  });
});
