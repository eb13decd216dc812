/** bench/lambdas.bench.ts: stands in for Powertools Metrics, to measure what the real one adds. */
export const MetricUnit = { Count: 'Count' } as const;
export class Metrics {
  singleMetric(): Metrics {
    return this;
  }
  addDimension(): void {}
  addMetric(): void {}
}
