import MailComposer from 'nodemailer/lib/mail-composer';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageItem } from '#core/model.ts';
import { DAY, type Harness, startHarness } from './lifecycle-harness.ts';

// 3 simulated days pass in 200 ms: a full default cycle (9 days) is 600 ms of Wait states.
const SCALE = (3 * DAY) / 0.2;
const TRIALS = 36;

/** mulberry32: a seeded generator, so a failing interleaving can be replayed from its seed. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ timeScale: SCALE });
});
afterAll(async () => {
  await h?.close();
});

describe('a customer reply against the timers', () => {
  it(`never lets a reminder go after the reply is recorded (${TRIALS} seeded interleavings)`, async () => {
    const seed = Number(process.env.RACE_SEED ?? 20261123);
    const random = seeded(seed);
    const { ws, address } = await h.workspace();
    /** Addresses whose reply ingest has returned: a reminder send that begins after that is stale. */
    const replied = new Set<string>();
    h.sender.onSend = ({ destinations }) => destinations.some((d) => replied.has(d));

    const trial = async (i: number) => {
      // Offsets cover before reminder 1, between the reminders, during waiting, and after reopening.
      const replyAfterMs = Math.floor(random() * 2500);
      const ann = `race-${i}-${ulid().toLowerCase()}@customer.example.com`;
      const threadId = await h.customerWrites(ws, address, `Ann <${ann}>`, `Race ${i}`);
      const agent = await h.agentSends({ workspaceId: ws, threadId, to: [ann] });
      await new Promise((r) => setTimeout(r, replyAfterMs));
      const thread = await h.threads.getThread(ws, threadId);
      const raw = await new MailComposer({
        from: `Ann <${ann}>`,
        to: address,
        subject: `Re: ${agent.subject}`,
        text: 'My answer.',
        inReplyTo: thread?.lastMessageId,
        references: thread?.references,
        messageId: `<${ulid().toLowerCase()}@customer.example.com>`,
      })
        .compile()
        .build();
      const out = await h.inbound([address], raw);
      replied.add(ann);
      return { ann, threadId, replyAfterMs, out };
    };
    const trials = await Promise.all(Array.from({ length: TRIALS }, (_, i) => trial(i)));
    await h.settle(120_000);
    await new Promise((r) => setTimeout(r, 300)); // a full reminder delay more: nothing may still come

    const stale = h.sender.sent.filter((m) => m.note === true);
    expect(stale, `seed ${seed}`).toEqual([]);
    /** The status each reply found: reminder(1), reminder(2), waiting, or open (after the cycle). */
    const phases: Record<string, number> = {};
    for (const t of trials) {
      expect(t.out.workspaces[0]).toMatchObject({ threadId: t.threadId, outcome: 'appended' });
      const feed = await h.feed(ws, t.threadId);
      const replyAt = feed.findIndex((i) => i.type === 'message' && i.direction === 'inbound' && i !== feed[0]);
      const reminders = feed.filter((i): i is MessageItem => i.type === 'message' && Boolean(i.automated));
      // No reminder is recorded after the reply, and every reminder mail that left is one the feed shows as sent.
      expect(
        feed.slice(replyAt).some((i) => i.type === 'message' && i.automated),
        `seed ${seed}`,
      ).toBe(false);
      const sentMails = h.sender.sent.filter((m) => m.destinations.includes(t.ann)).length - 1;
      expect(sentMails).toBe(reminders.filter((m) => m.delivery?.state === 'sent').length);
      const thread = await h.threads.getThread(ws, t.threadId);
      expect(thread?.status).toBe('open');
      const move = feed.slice(replyAt).find((i) => i.type === 'update' && i.field === 'status');
      const phase = move?.type === 'update' ? String(move.from) : 'open';
      phases[phase] = (phases[phase] ?? 0) + 1;
    }
    // The seeded offsets exercise the phases of the cycle, not one of them only.
    expect(phases['reminder(1)']).toBeGreaterThan(0);
    expect((phases['reminder(2)'] ?? 0) + (phases.waiting ?? 0)).toBeGreaterThan(0);
    console.info('race phases', phases, 'seed', seed);
    expect(h.runner.running()).toEqual([]);
  });
});
