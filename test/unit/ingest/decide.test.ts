/** Step 3 of ingest (functions/core/ingest/decide.ts): the facts read in one lookup, and the decision. */
import { describe, expect, it } from 'vitest';
import { decide, type HeaderFacts, type LookupAsk, lookupFacts } from '#core/ingest/decide.ts';
import { prepareMail } from '#core/ingest/prepare.ts';
import { planWrite } from '#core/ingest/write-plan.ts';
import { composeMail } from '../../support/mail.ts';
import { MemoryThreadStore } from '../ingest-fakes.ts';

const WS = 'WS1';
const AT = '2026-11-23T10:00:00.000Z';
const FROM = 'ann@client.example';
const ask = (over: Partial<LookupAsk> = {}): LookupAsk => ({
  candidates: [],
  tokenThreadId: null,
  tagRef: null,
  hint: null,
  retryMissing: true,
  readSender: false,
  ...over,
});
const prepare = async (mail: Parameters<typeof composeMail>[0], ses = 'ses1', verdicts?: { dmarc: string }) =>
  prepareMail(
    { sesMessageId: ses, rawKey: `inbound/${ses}`, recipients: [], ...(verdicts ? { verdicts } : {}) },
    await composeMail(mail),
    AT,
    1 << 20,
  );

/** A thread started by `<first@x>`, committed to the memory store, with the customer C1. */
async function storedThread(threads: MemoryThreadStore) {
  const p = await prepare({ from: FROM, to: 'support@acme.example', messageId: '<first@x>', references: ['<gone@x>'] });
  const plan = planWrite({
    workspaceId: WS,
    decision: { kind: 'new', reason: 'no-match' },
    contact: { contact: { contactId: 'K1' }, customerIds: ['C1'] },
    p,
    rawKey: 'inbound/ses1',
    facts: { claim: null, unknown: ['<gone@x>'] },
    ref: '1',
  });
  await threads.commit(plan.change);
  return { p, threadId: plan.threadId };
}

describe('lookupFacts', () => {
  it('names the threads that the headers point at, and the ids not known yet', async () => {
    const threads = new MemoryThreadStore();
    const { threadId } = await storedThread(threads);
    const p = await prepare({ from: FROM, to: 'x', messageId: '<reply@x>', inReplyTo: '<first@x>' }, 'ses2');
    threads.calls = [];
    const facts = await lookupFacts(threads, WS, p, ask({ candidates: ['<first@x>', '<unknown@x>'] }));
    if ('duplicate' in facts) throw new Error('not a duplicate');
    expect(facts.headerThreads.map((t) => t.threadId)).toEqual([threadId]);
    expect(facts.unknown).toEqual(['<unknown@x>']);
    expect(facts).toMatchObject({ tokenThread: null, tagThread: null, self: null, claim: null, reused: false });
    // The entries and the sender's card, then the thread they name: two reads for a reply by its headers.
    expect(threads.calls).toEqual(['lookup', 'lookup']);
  });

  it('finds a repeat delivery of the same mail, and tells a different mail reusing its Message-ID', async () => {
    const threads = new MemoryThreadStore();
    const { p, threadId } = await storedThread(threads);
    expect(await lookupFacts(threads, WS, p, ask())).toEqual({ duplicate: expect.objectContaining({ threadId }) });
    const reuse = await prepare({ from: FROM, to: 'x', messageId: '<first@x>', text: 'Another mail' }, 'ses3');
    expect(await lookupFacts(threads, WS, reuse, ask())).toMatchObject({ reused: true, claim: null });
  });

  it('claims the placeholder that awaits this very mail, and joins its thread', async () => {
    const threads = new MemoryThreadStore();
    const { threadId } = await storedThread(threads);
    const late = await prepare({ from: FROM, to: 'x', messageId: '<gone@x>' }, 'ses4');
    const facts = (await lookupFacts(threads, WS, late, ask())) as HeaderFacts;
    expect(facts.claim).toMatchObject({ threadId, placeholder: true });
    expect(facts.headerThreads.map((t) => t.threadId)).toEqual([threadId]);
  });
});

describe('decide', () => {
  it('appends a contact’s reply to the thread its headers name, verified', async () => {
    const threads = new MemoryThreadStore();
    await storedThread(threads);
    const p = await prepare({ from: FROM, to: 'x', inReplyTo: '<first@x>' }, 'ses2');
    const facts = (await lookupFacts(threads, WS, p, ask({ candidates: ['<first@x>'] }))) as HeaderFacts;
    expect(decide(facts, { customerIds: ['C1'] }, p, true)).toMatchObject({
      kind: 'append',
      via: 'header',
      verifiedSender: true,
    });
    // A stranger to the thread's customers lands there too, unverified.
    expect(decide(facts, { customerIds: ['C2'] }, p, true)).toMatchObject({ kind: 'append', verifiedSender: false });
  });

  it('trusts no customer of a sender that failed DMARC, and gives quarantined mail a thread of its own', async () => {
    const threads = new MemoryThreadStore();
    const { threadId } = await storedThread(threads);
    const forged = await prepare({ from: FROM, to: 'x', inReplyTo: '<first@x>' }, 'ses2', { dmarc: 'FAIL' });
    const facts = (await lookupFacts(threads, WS, forged, ask({ candidates: ['<first@x>'] }))) as HeaderFacts;
    expect(decide(facts, { customerIds: ['C1'] }, forged, true)).toMatchObject({
      kind: 'append',
      verifiedSender: false,
    });
    const quarantined = { ...forged, authenticated: true, flags: { quarantined: true } };
    expect(decide(facts, { customerIds: ['C1'] }, quarantined, true)).toEqual({
      kind: 'new',
      linkedThreadId: threadId,
      reason: 'no-match',
      via: 'header',
    });
  });
});
