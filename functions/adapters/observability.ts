/**
 * What ops see of the Lambdas: Powertools Metrics as CloudWatch embedded metric format (EMF: log lines
 * that CloudWatch turns into metrics, no extra call) and Powertools Tracer (X-Ray segments for the
 * handler and every AWS SDK call). One place names the metrics; lib/go-chat-dashboard.ts graphs them.
 *
 * Each metric is written as it happens (`singleMetric`), so no invocation ends with a flush to forget
 * and none prints an empty one. Locally, POWERTOOLS_METRICS_DISABLED keeps them out of the console,
 * and the tracer is off outside Lambda.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { IngestResult } from '#core/ingest.ts';
import type { MailSender } from '#core/ports.ts';
import { METRIC, METRICS_NAMESPACE } from './metric-names.ts';

export { METRIC, METRICS_NAMESPACE };

export interface Observability {
  metrics: Metrics;
  tracer: Tracer;
}

/** The metrics and the tracer of one Lambda, created once per container. */
export function observability(serviceName: string): Observability {
  return {
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName }),
    tracer: new Tracer({ serviceName }),
  };
}

function count(metrics: Metrics, name: string, dimensions: Record<string, string> = {}): void {
  const single = metrics.singleMetric();
  for (const [k, v] of Object.entries(dimensions)) single.addDimension(k, v);
  single.addMetric(name, MetricUnit.Count, 1);
}

/** The metrics of one ingested mail: one per workspace it reached, or one unroutable. */
export function recordIngest(metrics: Metrics, result: IngestResult): void {
  if (result.unroutable) count(metrics, METRIC.unroutable);
  for (const w of result.workspaces) {
    if (w.outcome === 'duplicate') count(metrics, METRIC.duplicates);
    else count(metrics, METRIC.mailIngested, { outcome: w.outcome, classification: w.classification });
  }
}

/** The metrics of one lifecycle timer (a failed reminder is counted by the sender, as a failed send). */
export function recordTimer(metrics: Metrics, result: { outcome: string }): void {
  if (result.outcome === 'reminderSent') count(metrics, METRIC.remindersSent);
  else if (result.outcome === 'reminderSkipped') count(metrics, METRIC.remindersSkipped);
}

/** The mail sender, counting the sends that fail (the error still reaches the caller). */
export function meteredSender(sender: MailSender, metrics: Metrics): MailSender {
  return {
    wireMessageId: (id) => sender.wireMessageId(id),
    async sendRaw(input) {
      try {
        return await sender.sendRaw(input);
      } catch (e) {
        count(metrics, METRIC.sendsFailed);
        throw e;
      }
    },
  };
}
