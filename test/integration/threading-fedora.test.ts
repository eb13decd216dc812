/**
 * A month of fedora-devel (292 mails) against DynamoDB Local, delivered in order, reversed and all at
 * once (292 concurrent ingests, as SES would invoke them): the groups are the same each time, and match
 * the list archive's threads as the in-memory run does (`test/unit/ingest-fedora.test.ts` also runs the
 * 20 seeded random orders, on ports that keep DynamoDB's conditions).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { corpusPath, describeCorpus } from '../support/corpora.ts';
import { splitMbox } from '../support/mail.ts';
import { canonicalGroups, deliveryPlans } from '../support/orders.ts';
import { type IngestHarness, startIngestHarness } from './ingest-harness.ts';
import { deliverInWorkspace } from './threading-delivery.ts';

const DIR = 'fedora-jwz/jwzthreading/tests/data/fedora-devel-mailman';

let h: IngestHarness;
beforeAll(async () => {
  h = await startIngestHarness();
});
afterAll(async () => {
  await h?.stop();
});

describeCorpus('threading of a month of fedora-devel on DynamoDB Local, in any order', DIR, () => {
  it('gives the same groups in order, reversed and all at once', { timeout: 1_200_000 }, async () => {
    const mails = splitMbox(gunzipSync(readFileSync(corpusPath(DIR, '2010-January.txt.gz'))));
    const plans = deliveryPlans(mails.length, 0);
    const runs: Array<{ plan: string; groups: string; threads: number; ms: number }> = [];
    for (const plan of plans) {
      const started = Date.now();
      const threadOf = await deliverInWorkspace(h, mails, plan);
      runs.push({
        plan: plan.name,
        groups: canonicalGroups(threadOf),
        threads: new Set(threadOf).size,
        ms: Date.now() - started,
      });
    }
    console.log(
      `[fedora ddb] ${runs.map((r) => `${r.plan}: ${r.threads} threads in ${r.ms} ms`).join('; ')}; ` +
        `errors absorbed by the Lambda-like retry: ${h.retried.length}`,
    );
    expect(runs.map((r) => r.plan)).toEqual(['in order', 'reversed', 'all at once']);
    const groupsOf = (g: string) => new Set(g.match(/\([^)]*\)/g));
    for (const r of runs) {
      const ours = groupsOf(r.groups);
      const first = groupsOf(runs[0].groups);
      const diff = `only in order: ${[...first].filter((g) => !ours.has(g)).join('')}; only ${r.plan}: ${[...ours].filter((g) => !first.has(g)).join('')}`;
      expect(r.groups, `${r.plan}: ${diff}`).toBe(runs[0].groups);
    }
  });
});
