/**
 * A mergeable sketch of durations: fixed log-scale buckets, so that the daily rollups of any range add up
 * bucket by bucket and give a median and a p90 without reading a single thread.
 *
 * Bucket 0 holds 0 s; bucket b ≥ 1 holds [2^((b-1)/8), 2^(b/8)) seconds. A quantile is reported as the
 * geometric middle of its bucket, so it is within ±4.4 % of the true value (half a bucket's width on a
 * log scale: 2^(1/16) − 1), whatever the volume. A year (3.2e7 s) is bucket 200.
 */

/** Buckets per doubling. */
const PER_DOUBLING = 8;

/** The bucket of a duration in seconds (negative counts as 0). */
export function bucketOf(seconds: number): number {
  if (!(seconds >= 1)) return 0;
  return Math.floor(Math.log2(seconds) * PER_DOUBLING) + 1;
}

/** The value a bucket stands for: the geometric middle of its bounds, in whole seconds (0 for bucket 0). */
export function bucketValue(bucket: number): number {
  if (bucket <= 0) return 0;
  return Math.round(2 ** ((bucket - 0.5) / PER_DOUBLING));
}

/** Counts by bucket. */
export type Histogram = Record<number, number>;

export function addTo(into: Histogram, from: Histogram): Histogram {
  for (const [b, n] of Object.entries(from)) into[Number(b)] = (into[Number(b)] ?? 0) + n;
  return into;
}

export const countOf = (h: Histogram) => Object.values(h).reduce((a, b) => a + b, 0);

/**
 * The q-quantile (0 < q ≤ 1) of the durations the histogram counts, by the nearest-rank rule (the value
 * of rank ⌈q·n⌉), as its bucket's value; null when it counts nothing.
 */
export function quantile(h: Histogram, q: number): number | null {
  const n = countOf(h);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (const b of Object.keys(h)
    .map(Number)
    .sort((x, y) => x - y)) {
    seen += h[b];
    if (seen >= rank) return bucketValue(b);
  }
  return null;
}
