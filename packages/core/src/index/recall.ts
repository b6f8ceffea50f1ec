import type { SearchHit } from './types.js';

/** Mean share of each query's true top-k ids found in its hits: how approximate search is scored. */
export function recallAtK(got: readonly (readonly SearchHit[])[], want: readonly (readonly SearchHit[])[]): number {
  let found = 0;
  let total = 0;
  got.forEach((hits, q) => {
    const truth = new Set(want[q]!.map((h) => h.id));
    total += truth.size;
    for (const h of hits) if (truth.has(h.id)) found++;
  });
  return total === 0 ? 1 : found / total;
}
