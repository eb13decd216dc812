/**
 * A draft carries `bcc` and `quote` (issue 20), and its send route hands the send path exactly what the
 * messages route hands it for the same fields: blind copies, the quote dropped, inline images with their
 * contentId. The send path itself (answer.ts) is replaced by a recorder: what it does with these is
 * test/integration/outbound-mail.test.ts's.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiDeps } from '#api/deps.ts';
import type { ApiRequest, CallerContext } from '#api/http.ts';
import { agentRoutes } from '#api/routes/agents.ts';
import { threadRoutes } from '#api/routes/threads.ts';
import type { Draft } from '#core/drafts.ts';
import { ValidationError } from '#core/errors.ts';
import { LIMITS } from '#core/limits.ts';

const answers: Array<{ input: Record<string, unknown>; channel: unknown }> = [];
vi.mock('#api/use-cases/answer.ts', () => ({
  postAnswer: vi.fn(
    async (_deps: unknown, _ctx: unknown, threadId: string, input: Record<string, unknown>, channel) => {
      answers.push({ input, channel });
      return {
        type: 'message',
        workspaceId: 'w1',
        threadId,
        itemId: `m${answers.length}`,
        at: '2026-12-06T02:00:00.000Z',
        direction: 'outbound',
        messageId: '<m@x>',
        from: { address: 'billing@acme.example' },
        to: [],
        cc: [],
        subject: 'Re: x',
        newText: 'x',
        text: 'x',
        classification: 'ordinary',
        flags: {},
        attachments: [],
      };
    },
  ),
}));

const ctx = { workspaceId: 'w1', actor: { kind: 'agent', id: 'ana' } } as unknown as CallerContext;
const drafts = new Map<string, Draft>();

/** Just enough of the API's dependencies for the draft routes: drafts in a map, idempotency always fresh. */
const deps = {
  clock: { now: () => new Date('2026-12-06T02:00:00Z') },
  ids: { newId: () => `d${drafts.size + 1}` },
  threads: {
    getThread: async () => ({ workspaceId: 'w1', threadId: 't1', customerIds: ['c1'], status: 'open' }),
  },
  admin: {
    claimIdempotencyKey: async (_w: string, record: unknown) => ({ kind: 'claimed', record }),
    completeIdempotencyKey: async () => {},
    releaseIdempotencyKey: async () => {},
  },
  agents: {
    getDraft: async (_w: string, _t: string, id: string) => drafts.get(id) ?? null,
    listDrafts: async () => [...drafts.values()],
    putDraft: async (d: Draft) => {
      drafts.set(d.draftId, d);
      return true;
    },
    deleteDraft: async (_w: string, _t: string, id: string) => drafts.delete(id),
    markRead: async () => {},
  },
} as unknown as ApiDeps;

function route(routes: typeof agentRoutes, method: string, path: string) {
  const r = routes.find((x) => x.method === method && x.path === path);
  if (!r) throw new Error(`no route ${method} ${path}`);
  return r;
}

const request = (params: Record<string, string>, body: unknown): ApiRequest =>
  ({ method: 'POST', path: '', params, query: {}, headers: {}, body }) as ApiRequest;

const createDraft = route(agentRoutes, 'POST', '/v1/threads/{threadId}/drafts');
const updateDraft = route(agentRoutes, 'PATCH', '/v1/threads/{threadId}/drafts/{draftId}');
const sendDraft = route(agentRoutes, 'POST', '/v1/threads/{threadId}/drafts/{draftId}/send');
const sendMessage = route(threadRoutes, 'POST', '/v1/threads/{threadId}/messages');

const PIC = { filename: 'pic.png', contentType: 'image/png', contentBase64: 'iVBORw0KGgo=', contentId: 'pic@inline' };

beforeEach(() => {
  answers.length = 0;
  drafts.clear();
});

/** What the send path was handed, without the keys that make each route idempotent. */
const handed = (i: number) => {
  const { internalSendKey: _a, idempotencyKey: _b, ...input } = answers[i]?.input ?? {};
  return { input, channel: answers[i]?.channel };
};

describe('drafts with bcc and quote', () => {
  it('keeps bcc and a dropped quote, and clears them with null', async () => {
    const created = await createDraft.run(
      request({ threadId: 't1' }, { text: 'Hi', bcc: ['boss@acme.example'], quote: false }),
      ctx,
      deps,
    );
    expect(created.body).toMatchObject({ draftId: 'd1', bcc: ['boss@acme.example'], quote: false });
    const cleared = await updateDraft.run(
      { ...request({ threadId: 't1', draftId: 'd1' }, { bcc: null, quote: null }), method: 'PATCH' },
      ctx,
      deps,
    );
    expect(cleared.body).not.toHaveProperty('bcc');
    expect(cleared.body).not.toHaveProperty('quote');
    await expect(
      createDraft.run(request({ threadId: 't1' }, { text: 'Hi', bcc: ['not an address'] }), ctx, deps),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(createDraft.run(request({ threadId: 't1' }, { text: 'Hi', quote: 'no' }), ctx, deps)).rejects.toThrow(
      ValidationError,
    );
  });

  it('sends bcc, the dropped quote and inline images exactly as the messages route does', async () => {
    const fields = {
      to: ['ann@customer.example'],
      cc: ['compta@customer.example'],
      bcc: ['boss@customer.example'],
      quote: false,
      text: 'See the picture.',
      html: '<p>See the picture. <img src="cid:pic@inline" alt="pic.png"></p>',
    };
    await createDraft.run(request({ threadId: 't1' }, fields), ctx, deps);
    await sendDraft.run(
      request({ threadId: 't1', draftId: 'd1' }, { channel: 'email', attachments: [PIC], status: 'waiting' }),
      ctx,
      deps,
    );
    await sendMessage.run(
      request({ threadId: 't1' }, { ...fields, channel: 'email', attachments: [PIC], status: 'waiting' }),
      ctx,
      deps,
    );
    expect(answers).toHaveLength(2);
    expect(handed(0)).toEqual(handed(1));
    expect(handed(0).input).toMatchObject({
      bcc: ['boss@customer.example'],
      quote: false,
      attachments: [{ filename: 'pic.png', contentType: 'image/png', contentId: 'pic@inline' }],
    });
    // The draft is gone once sent.
    expect(drafts.size).toBe(0);
  });

  it('a draft that keeps the quote (the default) sends none of the two fields, as the messages route', async () => {
    await createDraft.run(request({ threadId: 't1' }, { text: 'Hello' }), ctx, deps);
    await sendDraft.run(request({ threadId: 't1', draftId: 'd1' }, {}), ctx, deps);
    await sendMessage.run(request({ threadId: 't1' }, { text: 'Hello' }), ctx, deps);
    expect(handed(0)).toEqual(handed(1));
    expect(handed(0).input).not.toHaveProperty('bcc');
    expect(handed(0).input).not.toHaveProperty('quote');
  });

  it('refuses files past the budget with a 400 on both routes', async () => {
    const big = { filename: 'big.bin', contentType: 'application/octet-stream' };
    // Two files of just over half the budget each: each fits, together they do not.
    const chunk = 'A'.repeat(Math.ceil((LIMITS.outboundAttachmentBytes / 2) * (4 / 3)) + 4);
    const two = [
      { ...big, contentBase64: chunk },
      { ...big, filename: 'big2.bin', contentBase64: chunk },
    ];
    await createDraft.run(request({ threadId: 't1' }, { text: 'Files' }), ctx, deps);
    for (const run of [
      () => sendDraft.run(request({ threadId: 't1', draftId: 'd1' }, { attachments: two }), ctx, deps),
      () => sendMessage.run(request({ threadId: 't1' }, { text: 'Files', attachments: two }), ctx, deps),
    ]) {
      const refused = await run().catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ValidationError);
      expect((refused as ValidationError).details).toEqual([
        { path: 'body.attachments', message: 'the files of a message are at most 7 MB together' },
      ]);
    }
    expect(answers).toHaveLength(0);
  });
});
