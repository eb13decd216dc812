/** Delivery of a whole mailbox in one of the order-independence plans, for the threading corpus tests. */
import { parseMail } from '#core/mime.ts';
import { resolveThreads } from '#core/thread-merge.ts';
import { type DeliveryPlan, runPlan } from '../support/orders.ts';
import type { IngestHarness } from './ingest-harness.ts';

/**
 * Delivers `mails` as `plan` says into a fresh workspace whose senders are contacts of one customer;
 * returns the final (live, after any merge) thread of each mail.
 */
export async function deliverInWorkspace(
  harness: IngestHarness,
  mails: Buffer[],
  plan: DeliveryPlan,
): Promise<string[]> {
  const ws = await harness.workspace();
  const senders = new Set<string>();
  for (const raw of mails) senders.add((await parseMail(raw)).from?.address.toLowerCase() ?? 'unknown-sender@invalid');
  const at = new Date().toISOString();
  let n = 0;
  for (const email of senders)
    await harness.directory.ensureContact(ws.workspaceId, {
      email,
      contactId: `c${n++}-${ws.workspaceId}`,
      customerId: `list-${ws.workspaceId}`,
      at,
    });
  const results = await runPlan(plan, async (i) => {
    const res = await harness.invoke(
      await harness.store(mails[i], {
        recipients: [ws.address],
        sesMessageId: `${ws.workspaceId}-m${i}`.toLowerCase(),
      }),
    );
    return res.workspaces[0].threadId;
  });
  const live = await resolveThreads(harness.threads, ws.workspaceId, results);
  return results.map((t) => live.get(t)?.threadId ?? `missing:${t}`);
}
