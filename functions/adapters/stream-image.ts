/**
 * The table's stream images as plain data, for the stream readers that read a few attributes of an image
 * (metrics-stream.ts, sla-rearm.ts).
 */
import type { AttributeValue } from 'aws-lambda';

/** A stream image's attribute as plain data (S, N, BOOL, NULL, L, SS, M; anything else is undefined). */
export function plain(v: AttributeValue | undefined): unknown {
  if (!v) return undefined;
  if (v.S !== undefined) return v.S;
  if (v.N !== undefined) return Number(v.N);
  if (v.BOOL !== undefined) return v.BOOL;
  if (v.NULL) return null;
  if (v.L) return v.L.map(plain);
  if (v.SS) return v.SS;
  if (v.M) return Object.fromEntries(Object.entries(v.M).map(([k, x]) => [k, plain(x)]));
  return undefined;
}
