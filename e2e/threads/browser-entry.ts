// Runs in the page, bundled by Vite with the studio's configuration: flat indexes searched on the
// page's thread alone and on a pool of Web Workers over the same shared memory must give the same
// hits, id for id and score for score; an HNSW graph built by the workers (the page only
// coordinating) must search as well as the page's one-thread build.
import { createIndex, webSearchThreads, type FlatIndexBase, type IndexKind, type SearchHit, type VectorMetric } from '@cvf/core';
import { seededVectors } from '../support/seeded-vectors.js';
import { runHnswBuildChecks } from './hnsw-build-checks.js';

declare global {
  interface Window {
    runThreadChecks(): Promise<unknown>;
    runHnswBuildChecks: typeof runHnswBuildChecks;
  }
}

window.runHnswBuildChecks = runHnswBuildChecks;

const DIM = 29; // not a multiple of 4 or 8: padded panels
const N = 3000;
const M = 13; // blocks of four and singles split between the threads
const K = 10;

const vectors = (seed: number, n: number): Float32Array => seededVectors(seed, n, DIM);

/** Where two result lists differ (query, rank), or null: ids and scores compared exactly. */
function firstDifference(a: readonly SearchHit[][], b: readonly SearchHit[][]): string | null {
  if (a.length !== b.length) return `${a.length} vs ${b.length} result lists`;
  for (let q = 0; q < a.length; q++) {
    if (a[q]!.length !== b[q]!.length) return `query ${q}: ${a[q]!.length} vs ${b[q]!.length} hits`;
    for (let r = 0; r < a[q]!.length; r++) {
      const [x, y] = [a[q]![r]!, b[q]![r]!];
      if (x.id !== y.id || !Object.is(x.score, y.score)) return `query ${q} rank ${r}: ${x.id}/${x.score} vs ${y.id}/${y.score}`;
    }
  }
  return null;
}

window.runThreadChecks = async () => {
  const oneThread = await webSearchThreads(1);
  const { pool, threads, reason } = await webSearchThreads(3);
  if (!pool) return { crossOriginIsolated, threads, reason };
  const base = vectors(1, N);
  // Exact duplicates of the first 30 rows at the end: equal scores in different workers' shares.
  const stored = new Float32Array((N + 30) * DIM);
  stored.set(base);
  stored.set(base.subarray(0, 30 * DIM), N * DIM);
  const ids = Int32Array.from({ length: N + 30 }, (_, i) => 3 + 7 * i);
  const queries = vectors(2, M);
  queries.set(base.subarray(5 * DIM, 6 * DIM), 0); // a stored vector with a duplicate: exact ties
  const checks: { kind: IndexKind; metric: VectorMetric; threads: number; hits: number; batched: string | null; single: string | null }[] = [];
  for (const kind of ['flat', 'flat-f16', 'flat-int8'] as IndexKind[]) {
    for (const metric of ['cosine', 'l2'] as VectorMetric[]) {
      const one = (await createIndex({ kind, dim: DIM, metric })) as unknown as FlatIndexBase;
      // splitRowsFrom 0: single queries split this small index's rows between the threads too.
      const many = (await createIndex({ kind, dim: DIM, metric, pool, splitRowsFrom: 0 })) as unknown as FlatIndexBase;
      for (const index of [one, many]) {
        index.addBatch(ids, stored);
        index.delete(ids[17]!);
      }
      const batched = firstDifference(one.searchBatch(queries, { k: K }), await many.searchBatchParallel(queries, { k: K }));
      const singles = await Promise.all(Array.from({ length: 3 }, (_, q) => many.searchParallel(queries.subarray(q * DIM, (q + 1) * DIM), { k: K })));
      const single = firstDifference(Array.from({ length: 3 }, (_, q) => one.search(queries.subarray(q * DIM, (q + 1) * DIM), { k: K })), singles);
      checks.push({ kind, metric, threads: many.threads, hits: singles[0]!.length, batched, single });
    }
  }
  const answered = pool.answered();
  await pool.close();
  return { crossOriginIsolated, threads, reason, oneThread: { pool: oneThread.pool, reason: oneThread.reason }, checks, answered };
};
