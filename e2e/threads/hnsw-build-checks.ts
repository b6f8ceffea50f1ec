// An HNSW graph built in the page on a pool of Web Workers (the page only coordinating: its main
// thread may not wait on the graph's node locks) against the page's one-thread build of the same
// rows: the threads link nodes in varying order, so the graphs differ, but not their recall; every
// node stays reachable and the levels are drawn in row order either way. Without a pool (threads
// 1, or a page that is not cross-origin isolated) the build is the one-thread one, link for link.
import { createIndex, HnswIndex, reachableOnLayerZero, recallAtK, webSearchThreads, type SearchHit } from '@cvf/core';
import { seededVectors } from '../support/seeded-vectors.js';

const DIM = 16;
const N = 3000; // past the first 512 nodes, which worker 0 links alone before the others start
const Q = 60;
const K = 10;
const CLUSTERS = 24;

/** Rows around seeded centres (neighbourhoods like embeddings have), the same in any page. */
function clustered(seed: number, n: number): Float32Array {
  const centres = seededVectors(seed, CLUSTERS, DIM);
  const noise = seededVectors(seed + 1, n, DIM);
  return Float32Array.from({ length: n * DIM }, (_, i) => 2 * centres[(Math.floor(i / DIM) % CLUSTERS) * DIM + (i % DIM)]! + 0.6 * noise[i]!);
}

function equal(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface HnswBuildChecks {
  readonly crossOriginIsolated: boolean;
  /** Threads the index inserted on (HnswIndex.threads) and why there is no pool, if none. */
  readonly threads: number;
  readonly reason: string | null;
  readonly size: number;
  readonly reachable: number;
  readonly levelsEqual: boolean;
  /** Whether the graph is the one-thread build's, link for link. */
  readonly sameLinks: boolean;
  readonly recall: readonly { readonly efSearch: number; readonly one: number; readonly built: number }[];
}

/** Builds the rows on one thread and through webSearchThreads(configured), and compares the graphs. */
export async function runHnswBuildChecks(configured: number): Promise<HnswBuildChecks> {
  const base = clustered(21, N);
  const queries = clustered(31, Q);
  const ids = Int32Array.from({ length: N }, (_, i) => 5 + 3 * i);
  const options = { dim: DIM, metric: 'l2', M: 12, efConstruction: 100 } as const;
  const one = await HnswIndex.create(options);
  one.addBatch(ids, base);
  const { pool, reason } = await webSearchThreads(configured);
  const built = await HnswIndex.create({ ...options, ...(pool ? { pool } : {}) });
  try {
    await built.addBatchParallel(ids, base);
  } finally {
    await pool?.close();
  }
  const flat = await createIndex({ kind: 'flat', dim: DIM, metric: 'l2' });
  flat.addBatch(ids, base);
  const truth: SearchHit[][] = flat.searchBatch(queries, { k: K });
  const recall = [16, 48].map((efSearch) => ({
    efSearch,
    one: recallAtK(one.searchBatch(queries, { k: K, efSearch }), truth),
    built: recallAtK(built.searchBatch(queries, { k: K, efSearch }), truth),
  }));
  const [a, b] = [one.snapshot(), built.snapshot()];
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    threads: built.threads,
    reason,
    size: built.size,
    reachable: reachableOnLayerZero(b, built.M0),
    levelsEqual: equal(a.levels, b.levels),
    sameLinks: equal(a.links0, b.links0) && equal(a.counts0, b.counts0) && equal(a.upper, b.upper) && a.params.entry === b.params.entry,
    recall,
  };
}
