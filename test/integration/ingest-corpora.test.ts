/**
 * Every mail of the shared corpora goes through the real ingest path (DynamoDB Local, s3rver): no
 * crash, no mail lost (each is a message, or a duplicate of one), and the raw object stays in S3.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WorkspaceOutcome } from '#core/ingest.ts';
import { corpusPath, describeCorpus, listCorpusFiles } from '../support/corpora.ts';
import { splitMbox } from '../support/mail.ts';
import { type IngestHarness, startIngestHarness } from './ingest-harness.ts';

/** Files that are not mail: licences, expectations, notes. */
const NOT_MAIL =
  /(^|\/)(LICENSE[^/]*|COPYING[^/]*|SOURCE|README[^/]*|expected[^/]*|[^/]*\.json[l]?|files_without_expectation\.txt|[^/]*_thread\.html\.gz)$/;

interface CorpusMail {
  name: string;
  raw: Buffer;
}

function corpusMails(): CorpusMail[] {
  const out: CorpusMail[] = [];
  const folders = [
    'sisimai',
    'mailparser',
    'postal-mime',
    'talon',
    'email_reply_parser',
    'willdurand',
    'imaptest-thread',
    'fedora-jwz',
  ];
  for (const folder of folders) {
    for (const file of listCorpusFiles(folder)) {
      if (NOT_MAIL.test(file)) continue;
      let raw = readFileSync(corpusPath(file));
      if (file.endsWith('.gz')) raw = gunzipSync(raw);
      const isMbox =
        file.endsWith('.mbox') || (/\.txt(\.gz)?$/.test(file) && raw.subarray(0, 5).toString() === 'From ');
      // The imaptest `threadN` files are expected groupings, not mail.
      if (/^imaptest-thread\/src\/tests\/thread[^.]*$/.test(file)) continue;
      if (!isMbox) out.push({ name: file, raw });
      else for (const [i, m] of splitMbox(raw).entries()) out.push({ name: `${file}#${i + 1}`, raw: m });
    }
  }
  return out;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

let h: IngestHarness;
beforeAll(async () => {
  h = await startIngestHarness();
});
afterAll(async () => {
  await h?.stop();
});

describeCorpus('every corpus mail through ingest', '.', () => {
  it('ingests ~1,300 real mails without a crash, losing none, keeping every raw object', async () => {
    const mails = corpusMails();
    expect(mails.length).toBeGreaterThan(1000);
    const ws = await h.workspace();
    const failures: string[] = [];
    const started = Date.now();
    const results = await mapLimit(mails, 12, async (mail) => {
      try {
        const input = await h.store(mail.raw, { recipients: [ws.address] });
        const res = await h.invoke(input);
        return { mail, input, outcome: res.workspaces[0] as WorkspaceOutcome };
      } catch (e) {
        failures.push(`${mail.name}: ${(e as Error).stack}`);
        return null;
      }
    });
    const elapsed = Date.now() - started;
    console.log(`[corpora] errors absorbed by a Lambda-like retry: ${h.retried.length}`, h.retried.slice(0, 5));
    console.log(
      `[corpora] ${mails.length} mails ingested in ${elapsed} ms (${((mails.length / elapsed) * 1000).toFixed(0)}/s)`,
    );
    expect(failures).toEqual([]);

    const ok = results.filter((r): r is NonNullable<typeof r> => r !== null);
    // Nothing lost: every created/appended message is in its thread's feed; a duplicate points at one.
    const byThread = new Map<string, Set<string>>();
    for (const r of ok) {
      const set = byThread.get(r.outcome.threadId) ?? new Set();
      set.add(r.outcome.itemId);
      byThread.set(r.outcome.threadId, set);
    }
    const missing: string[] = [];
    await mapLimit([...byThread.entries()], 8, async ([threadId, itemIds]) => {
      const stored = new Set((await h.messages(ws.workspaceId, threadId)).map((m) => m.itemId));
      for (const id of itemIds) if (!stored.has(id)) missing.push(`${threadId}/${id}`);
    });
    expect(missing).toEqual([]);
    const counts = ok.reduce<Record<string, number>>((acc, r) => {
      acc[r.outcome.outcome] = (acc[r.outcome.outcome] ?? 0) + 1;
      return acc;
    }, {});
    console.log('[corpora] outcomes', counts);

    const absent: string[] = [];
    await mapLimit(ok, 16, async (r) => {
      if (!(await h.rawExists(r.input.rawKey))) absent.push(r.mail.name);
    });
    expect(absent).toEqual([]);
  }, 300_000);
});
