/**
 * Delivery orders for the order-independence tests: in order, reversed, seeded random permutations,
 * and all at once. A seeded generator (mulberry32) makes every failing order reproducible.
 */

/** A small seeded PRNG: the same seed always gives the same sequence in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Fisher-Yates permutation of 0..n-1 from `seed`. */
export function shuffled(n: number, seed: number): number[] {
  const random = seededRandom(seed);
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export interface DeliveryPlan {
  name: string;
  /** Indexes of the mails, in delivery order. */
  order: number[];
  /** True: every mail is delivered at the same time (order is then only the start order). */
  concurrent: boolean;
}

/** The four ways of the issue: in order, reversed, `randomOrders` seeded permutations, all at once. */
export function deliveryPlans(n: number, randomOrders = 20): DeliveryPlan[] {
  const inOrder = Array.from({ length: n }, (_, i) => i);
  return [
    { name: 'in order', order: inOrder, concurrent: false },
    { name: 'reversed', order: [...inOrder].reverse(), concurrent: false },
    ...Array.from({ length: randomOrders }, (_, k) => ({
      name: `random order (seed ${k + 1})`,
      order: shuffled(n, k + 1),
      concurrent: false,
    })),
    { name: 'all at once', order: inOrder, concurrent: true },
  ];
}

/** Runs `deliver` for each mail of the plan: one after another, or all at once. */
export async function runPlan<T>(plan: DeliveryPlan, deliver: (index: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  if (plan.concurrent) {
    const results = await Promise.all(plan.order.map((i) => deliver(i)));
    plan.order.forEach((i, k) => {
      out[i] = results[k];
    });
  } else for (const i of plan.order) out[i] = await deliver(i);
  return out;
}

/** Groups of mail indexes as a canonical string: `(0 2)(1)`; each group sorted, groups by first member. */
export function canonicalGroups(threadOf: string[], only?: (index: number) => boolean): string {
  const groups = new Map<string, number[]>();
  threadOf.forEach((t, i) => {
    if (only && !only(i)) return;
    groups.set(t, [...(groups.get(t) ?? []), i]);
  });
  return [...groups.values()]
    .map((g) => [...g].sort((a, b) => a - b))
    .sort((a, b) => a[0] - b[0])
    .map((g) => `(${g.join(' ')})`)
    .join('');
}
