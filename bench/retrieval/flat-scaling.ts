// The flat index's thread scaling, measured in pairs: one index over the base rows, its batched
// search on the calling thread alone (searchBatch) and on the pool's threads (searchBatchParallel),
// alternated pass by pass. A VM's single-thread speed drifts by a quarter from one minute to the
// next here; timing the two sides minutes apart (as the table's one-thread row is) lets that drift
// decide the ratio, while alternating passes puts both sides under the same drift. The ratio is the
// median of the passes' own ratios.
import { readFileSync } from 'node:fs';
import { createIndex, FlatIndexBase, type SearchHit } from '@cvf/core';
import { createScanPool } from '@cvf/core/node';
import { median } from '../support/report.js';

export interface FlatScaling {
  readonly threads: number;
  readonly passes: number;
  /** Median queries per second of each side. */
  readonly oneThreadQps: number;
  readonly threadsQps: number;
  /** Median of the passes' ratios (threads / one thread). */
  readonly ratio: number;
  /** The smallest and largest of the passes' ratios. */
  readonly ratioRange: readonly [number, number];
  /** The two sides gave the same ids and scores for every query. */
  readonly sameHits: boolean;
}

function sameHits(a: readonly SearchHit[][], b: readonly SearchHit[][]): boolean {
  return a.length === b.length && a.every((list, q) => list.length === b[q]!.length && list.every((h, r) => h.id === b[q]![r]!.id && h.score === b[q]![r]!.score));
}

export async function flatScaling(options: { base: string; queries: string; dim: number; k: number; threads: number; passes: number }): Promise<FlatScaling> {
  const { dim, k, threads, passes } = options;
  const base = new Float32Array(readFileSync(options.base).buffer.slice(0));
  const queries = new Float32Array(readFileSync(options.queries).buffer.slice(0));
  const m = queries.length / dim;
  const pool = await createScanPool(threads);
  try {
    const index = await createIndex({ kind: 'flat', dim, metric: 'dot', pool });
    index.addBatch(Int32Array.from({ length: base.length / dim }, (_, i) => i), base);
    if (!(index instanceof FlatIndexBase)) throw new Error('a flat index is not a FlatIndexBase');
    // Warm both paths (kernels compiled, the pool's threads started and their memory attached).
    const oneHits = index.searchBatch(queries, { k });
    const manyHits = await index.searchBatchParallel(queries, { k });
    const oneQps: number[] = [];
    const manyQps: number[] = [];
    const ratios: number[] = [];
    const timeOne = (): number => {
      const start = performance.now();
      index.searchBatch(queries, { k });
      return m / ((performance.now() - start) / 1000);
    };
    const timeMany = async (): Promise<number> => {
      const start = performance.now();
      await index.searchBatchParallel(queries, { k });
      return m / ((performance.now() - start) / 1000);
    };
    for (let pass = 0; pass < passes; pass++) {
      // Which side goes first alternates too, so neither always follows the other's cache state.
      let one: number;
      let many: number;
      if (pass % 2 === 0) {
        one = timeOne();
        many = await timeMany();
      } else {
        many = await timeMany();
        one = timeOne();
      }
      oneQps.push(one);
      manyQps.push(many);
      ratios.push(many / one);
    }
    return {
      threads,
      passes,
      oneThreadQps: median(oneQps),
      threadsQps: median(manyQps),
      ratio: median(ratios),
      ratioRange: [Math.min(...ratios), Math.max(...ratios)],
      sameHits: sameHits(oneHits, manyHits),
    };
  } finally {
    await pool.close();
  }
}
