/**
 * Threading on real list traffic: one month of fedora-devel (292 mails) ingested in archive order
 * through the ingest use case (in-memory ports: the threading path is the same), compared with the
 * list archive's own thread index. Pipermail also threads by subject when headers are missing, which
 * we never do, so the bar is a measured share of the archive's threads reproduced exactly, and every
 * mismatch is printed with its subjects.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { IngestMail } from '#core/ingest.ts';
import { parseMail } from '#core/mime.ts';
import { ReplyTokens } from '#core/reply-token.ts';
import { resolveThreads } from '#core/thread-merge.ts';
import { corpusPath, describeCorpus } from '../support/corpora.ts';
import { splitMbox } from '../support/mail.ts';
import { canonicalGroups, deliveryPlans, runPlan } from '../support/orders.ts';
import { MemoryDirectory, MemoryMailStore, MemoryThreadStore } from './ingest-fakes.ts';

const DIR = 'fedora-jwz/jwzthreading/tests/data/fedora-devel-mailman';
/**
 * Measured: 41 of the archive's 43 threads with replies are reproduced exactly. The two that differ
 * ("Common Lisp apps in Fedora", "ABRT considered painful") are split by us where mails reference
 * parents that never reached the list (or no parent at all) and pipermail joins them by subject.
 */
const BAR = 0.95;

/** The archive's threads: message numbers grouped under each top-level entry of the index. */
function archiveThreads(html: string): number[][] {
  const groups: number[][] = [];
  let depth = 0;
  for (const m of html.matchAll(/<(\/?)ul>|name="(\d+)"/gi)) {
    if (m[2] !== undefined) {
      const n = Number(m[2]);
      if (depth === 1) groups.push([n]);
      else groups[groups.length - 1]?.push(n);
    } else depth += m[1] ? -1 : 1;
  }
  return groups;
}

describeCorpus('threading of a month of fedora-devel', DIR, () => {
  it('reproduces most of the archive threads from headers alone', async () => {
    const mails = splitMbox(gunzipSync(readFileSync(corpusPath(DIR, '2010-January.txt.gz'))));
    const expected = archiveThreads(
      gunzipSync(readFileSync(corpusPath(DIR, '2010-January_thread.html.gz'))).toString(),
    );
    expect(mails).toHaveLength(292);
    expect(expected.flat()).toHaveLength(292);

    const threads = new MemoryThreadStore();
    const directory = new MemoryDirectory();
    directory.addresses.set('fedora-devel-list@redhat.com', 'W');
    const mail = new MemoryMailStore();
    const ingest = new IngestMail({
      threads,
      directory,
      mail,
      tokens: new ReplyTokens('fedora-test-secret-0123'),
      clock: { now: () => new Date('2010-02-01T00:00:00Z') },
      maxMailBytes: 10 * 1024 * 1024,
    });
    const threadOf: string[] = [];
    for (const [i, raw] of mails.entries()) {
      mail.objects.set(`inbound/m${i}`, raw);
      const res = await ingest.ingest({
        sesMessageId: `m${i}`,
        rawKey: `inbound/m${i}`,
        recipients: ['fedora-devel-list@redhat.com'],
        // Archive order is arrival order; the receipt time keeps it.
        receivedAt: new Date(Date.UTC(2010, 0, 1) + i * 60_000).toISOString(),
      });
      threadOf.push(res.workspaces[0].threadId);
    }
    const ours = new Map<string, number[]>();
    for (const [i, t] of threadOf.entries()) ours.set(t, [...(ours.get(t) ?? []), i]);
    const key = (g: number[]) => [...g].sort((a, b) => a - b).join(',');
    const ourKeys = new Set([...ours.values()].map(key));
    const multi = expected.filter((g) => g.length > 1);
    const exact = multi.filter((g) => ourKeys.has(key(g)));
    const missed = multi.filter((g) => !ourKeys.has(key(g)));
    const subjectOf = (n: number) => /^Subject: (.*)$/m.exec(mails[n].toString('latin1'))?.[1] ?? '?';
    console.log(
      `[fedora] archive threads with replies: ${multi.length}, reproduced exactly: ${exact.length}; ` +
        `all threads: ${expected.length} archive vs ${ours.size} ours`,
    );
    for (const g of missed)
      console.log(
        `[fedora] differs: ${g.join(' ')} "${subjectOf(g[0])}" → ours ${g.map((n) => threadOf[n].slice(-4)).join(' ')}`,
      );
    // Pipermail's index also threads by subject; ours never does. Measured bar, see docs/ingest.md.
    expect(exact.length / multi.length).toBeGreaterThanOrEqual(BAR);
  });
});

describeCorpus('threading of a month of fedora-devel, in any order', DIR, () => {
  /**
   * The same month delivered 23 ways (in order, reversed, 20 seeded random orders, all at once) through
   * the use case on in-memory ports, whose store keeps DynamoDB's conditions (the DynamoDB Local run of
   * in order, reversed and all at once is `test/integration/threading-fedora.test.ts`). The list's
   * senders are contacts of one customer, so that late linking mails may merge threads.
   */
  it('gives the same groups every way', { timeout: 600_000 }, async () => {
    const mails = splitMbox(gunzipSync(readFileSync(corpusPath(DIR, '2010-January.txt.gz'))));
    const expected = archiveThreads(
      gunzipSync(readFileSync(corpusPath(DIR, '2010-January_thread.html.gz'))).toString(),
    );
    const senders = [...new Set(await Promise.all(mails.map(async (m) => (await parseMail(m)).from?.address ?? '')))];
    const results: Array<{ plan: string; groups: string; exact: number }> = [];
    for (const plan of deliveryPlans(mails.length)) {
      const threads = new MemoryThreadStore();
      const directory = new MemoryDirectory();
      directory.addresses.set('fedora-devel-list@redhat.com', 'W');
      senders.forEach((email, i) => {
        directory.contacts.set(`W|${email.toLowerCase()}`, {
          workspaceId: 'W',
          contactId: `c${i}`,
          email: email.toLowerCase(),
          createdAt: '2010-01-01T00:00:00Z',
          updatedAt: '2010-01-01T00:00:00Z',
        });
        directory.links.set(`W|c${i}`, ['LIST']);
      });
      const mail = new MemoryMailStore();
      const ingest = new IngestMail({
        threads,
        directory,
        mail,
        tokens: new ReplyTokens('fedora-test-secret-0123'),
        clock: { now: () => new Date('2010-02-01T00:00:00Z') },
        maxMailBytes: 10 * 1024 * 1024,
        sleep: () => new Promise((r) => setImmediate(r)),
      });
      let tick = 0;
      const threadOf = await runPlan(plan, async (i) => {
        mail.objects.set(`inbound/m${i}`, mails[i]);
        const res = await ingest.ingest({
          sesMessageId: `m${i}`,
          rawKey: `inbound/m${i}`,
          recipients: ['fedora-devel-list@redhat.com'],
          // Arrival time is the delivery order's, not the archive's.
          receivedAt: new Date(Date.UTC(2010, 0, 1) + tick++ * 60_000).toISOString(),
        });
        return res.workspaces[0].threadId;
      });
      const live = await resolveThreads(threads, 'W', threadOf);
      const final = threadOf.map((t) => live.get(t)?.threadId ?? `missing:${t}`);
      const byThread = new Map<string, number[]>();
      final.forEach((t, i) => {
        byThread.set(t, [...(byThread.get(t) ?? []), i]);
      });
      const ours = new Set([...byThread.values()].map((g) => g.join(',')));
      const multi = expected.filter((g) => g.length > 1);
      const exact = multi.filter((g) => ours.has([...g].sort((a, b) => a - b).join(','))).length;
      results.push({ plan: plan.name, groups: canonicalGroups(final), exact });
      if (process.env.FEDORA_DEBUG && results.length > 1 && results.at(-1)!.groups !== results[0].groups) {
        const a = results[0].groups.match(/\([^)]*\)/g)!;
        const b = new Set(results.at(-1)!.groups.match(/\([^)]*\)/g)!);
        console.log(
          plan.name,
          'in order only:',
          a.filter((g) => !b.has(g)).join(''),
          'this only:',
          [...b].filter((g) => !a.includes(g)).join(''),
        );
      }
    }
    console.log(
      `[fedora any order] ${results.length} deliveries; archive threads with replies reproduced exactly: ` +
        `${[...new Set(results.map((r) => r.exact))].join('/')} of ${expected.filter((g) => g.length > 1).length}`,
    );
    for (const r of results) expect(r, r.plan).toEqual({ ...results[0], plan: r.plan });
  });
});
