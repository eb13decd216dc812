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
import { IngestMail } from '../../functions/core/ingest.ts';
import { ReplyTokens } from '../../functions/core/reply-token.ts';
import { corpusPath, describeCorpus } from '../support/corpora.ts';
import { splitMbox } from '../support/mail.ts';
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
