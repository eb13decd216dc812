import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  METRIC,
  METRICS_NAMESPACE,
  meteredSender,
  observability,
  recordIngest,
  recordTimer,
} from '#adapters/observability.ts';
import type { IngestResult } from '#core/ingest.ts';

/** The EMF lines written to stdout: what CloudWatch turns into metrics. */
let lines: Array<Record<string, unknown>>;

beforeEach(() => {
  lines = [];
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    const text = String(chunk);
    if (text.includes('"_aws"')) lines.push(JSON.parse(text));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** Metric name, value and dimensions of each EMF line. */
const emitted = () =>
  lines.map((l) => {
    const aws = l._aws as {
      CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }>;
    };
    const [cw] = aws.CloudWatchMetrics;
    expect(cw.Namespace).toBe(METRICS_NAMESPACE);
    const name = cw.Metrics[0].Name;
    const dims = Object.fromEntries(cw.Dimensions[0].filter((d) => d !== 'service').map((d) => [d, l[d]]));
    return { name, value: l[name], dims };
  });

const result = (over: Partial<IngestResult>): IngestResult => ({
  sesMessageId: 'm',
  workspaces: [],
  unroutable: false,
  warnings: [],
  ...over,
});

describe('metrics', () => {
  it('count ingested mail by outcome and classification, duplicates and unroutable mail', () => {
    const { metrics } = observability('test');
    recordIngest(
      metrics,
      result({
        workspaces: [
          { workspaceId: 'w1', threadId: 't', itemId: 'i', classification: 'ordinary', outcome: 'created' },
          {
            workspaceId: 'w2',
            threadId: 't',
            itemId: 'i',
            classification: 'auto_reply',
            outcome: 'appended',
            via: 'header',
            verifiedSender: true,
            reopened: false,
          },
          { workspaceId: 'w3', threadId: 't', itemId: 'i', classification: 'ordinary', outcome: 'duplicate' },
        ],
      }),
    );
    recordIngest(metrics, result({ unroutable: true }));
    expect(emitted()).toEqual([
      { name: METRIC.mailIngested, value: 1, dims: { outcome: 'created', classification: 'ordinary' } },
      { name: METRIC.mailIngested, value: 1, dims: { outcome: 'appended', classification: 'auto_reply' } },
      { name: METRIC.duplicates, value: 1, dims: {} },
      { name: METRIC.unroutable, value: 1, dims: {} },
    ]);
  });

  it('count reminders sent and skipped, and nothing for other timers', () => {
    const { metrics } = observability('test');
    for (const outcome of ['reminderSent', 'reminderSkipped', 'statusChanged', 'superseded'])
      recordTimer(metrics, { outcome });
    expect(emitted().map((m) => m.name)).toEqual([METRIC.remindersSent, METRIC.remindersSkipped]);
  });

  it('count failed sends, and still throw them', async () => {
    const { metrics } = observability('test');
    const sender = meteredSender(
      {
        sendRaw: async ({ destinations }) => {
          if (destinations[0] === 'bad@example.com') throw new Error('MessageRejected');
          return { providerMessageId: 'p' };
        },
        wireMessageId: (id) => `<${id}@ses>`,
      },
      metrics,
    );
    const input = (to: string) => ({ raw: Buffer.from('x'), from: 'a@example.org', destinations: [to] });
    await expect(sender.sendRaw(input('ok@example.com'))).resolves.toEqual({ providerMessageId: 'p' });
    await expect(sender.sendRaw(input('bad@example.com'))).rejects.toThrow('MessageRejected');
    expect(sender.wireMessageId('p')).toBe('<p@ses>');
    expect(emitted()).toEqual([{ name: METRIC.sendsFailed, value: 1, dims: {} }]);
  });
});
