// The HNSW part of bench/retrieval: one build each side (on one thread, and with --threads T > 1
// also on T threads each side), then an efSearch sweep of single-query searches whose passes
// alternate between cvf and hnswlib (fastest pass kept per side and point), compared at equal
// recall and at equal efSearch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HnswIndex, recallAtK, type SearchHit } from '@cvf/core';
import { createScanPool } from '@cvf/core/node';
import { timeSearches } from '@cvf/cli';
import { printTable } from '../support/report.js';
import { peer } from './peer-process.js';

export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 200;
export const EF_SWEEP = [10, 16, 24, 32, 48, 64, 96, 128];

export interface SweepPoint {
  efSearch: number;
  single: { qps: number; p50ms: number; p99ms: number };
  recallAtK: number;
}

export interface HnswBench {
  M: number;
  efConstruction: number;
  buildSeconds: number;
  bytes: number;
  sweep: SweepPoint[];
  /** With threads > 1: the build on that many threads and its graph's recall per efSearch of the sweep. */
  parallel: { threads: number; buildSeconds: number; recall: number[] } | null;
  hnswlib: { version: string; buildSeconds: number; parallelBuildSeconds: number | null; sweep: SweepPoint[] };
}

/** Keeps the faster of two measurements of one sweep point. */
function faster(a: SweepPoint | undefined, b: SweepPoint): SweepPoint {
  return a && a.single.qps >= b.single.qps ? a : b;
}

export async function benchHnsw(o: { base: string; queries: string; n: number; dim: number; k: number; threads: number; repeat: number; truthIds: string; dir: string }): Promise<HnswBench> {
  const baseRows = new Float32Array(readFileSync(o.base).buffer.slice(0));
  const queryRows = new Float32Array(readFileSync(o.queries).buffer.slice(0));
  const truthIds = new Int32Array(readFileSync(o.truthIds).buffer.slice(0));
  const m = queryRows.length / o.dim;
  const truth: SearchHit[][] = Array.from({ length: m }, (_, q) => Array.from(truthIds.subarray(q * o.k, (q + 1) * o.k), (id) => ({ id, score: 0 })));
  const ids = Int32Array.from({ length: o.n }, (_, i) => i);
  const options = { dim: o.dim, metric: 'dot' as const, M: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION };

  const hnsw = await HnswIndex.create(options);
  const buildStart = performance.now();
  hnsw.addBatch(ids, baseRows);
  const buildSeconds = (performance.now() - buildStart) / 1000;
  const hnswlibFile = join(o.dir, 'hnswlib.bin');
  const hnswlibBuild = peer<{ version: string; buildSeconds: number }>(1, 'hnsw-build', o.base, String(o.dim), String(HNSW_M), String(HNSW_EF_CONSTRUCTION), hnswlibFile, '1');

  let parallel: HnswBench['parallel'] = null;
  let parallelBuildSeconds: number | null = null;
  if (o.threads > 1) {
    const pool = await createScanPool(o.threads);
    try {
      const built = await HnswIndex.create({ ...options, pool });
      const start = performance.now();
      await built.addBatchParallel(ids, baseRows);
      const seconds = (performance.now() - start) / 1000;
      parallel = { threads: built.threads, buildSeconds: seconds, recall: EF_SWEEP.map((efSearch) => recallAtK(built.searchBatch(queryRows, { k: o.k, efSearch }), truth)) };
    } finally {
      await pool.close();
    }
    parallelBuildSeconds = peer<{ buildSeconds: number }>(o.threads, 'hnsw-build', o.base, String(o.dim), String(HNSW_M), String(HNSW_EF_CONSTRUCTION), join(o.dir, 'hnswlib-threads.bin'), String(o.threads)).buildSeconds;
  }

  const sweep: SweepPoint[] = [];
  const theirSweep: SweepPoint[] = [];
  for (let pass = 0; pass < o.repeat; pass++) {
    EF_SWEEP.forEach((efSearch, i) => {
      const { single, hits } = timeSearches(hnsw, queryRows, o.dim, { k: o.k, efSearch }, 1);
      sweep[i] = faster(sweep[i], { efSearch, single, recallAtK: recallAtK(hits, truth) });
      theirSweep[i] = faster(theirSweep[i], peer<SweepPoint>(1, 'hnsw-search', hnswlibFile, String(o.dim), String(o.n), o.queries, String(o.k), String(efSearch), o.truthIds, '1'));
    });
  }
  return {
    M: HNSW_M,
    efConstruction: HNSW_EF_CONSTRUCTION,
    buildSeconds,
    bytes: hnsw.memory().total,
    sweep,
    parallel,
    hnswlib: { version: hnswlibBuild.version, buildSeconds: hnswlibBuild.buildSeconds, parallelBuildSeconds, sweep: theirSweep },
  };
}

/** The sweep table (QPS, recall and the QPS ratio at each efSearch) and the build times. */
export function printHnsw(h: HnswBench): void {
  console.log('\nhnsw efSearch sweep (single-query QPS / recall@10; × = cvf QPS / hnswlib QPS at the same efSearch):');
  printTable(
    EF_SWEEP.map((ef, i) => ({
      efSearch: ef,
      'cvf QPS': h.sweep[i]!.single.qps,
      'cvf recall': h.sweep[i]!.recallAtK.toFixed(4),
      'hnswlib QPS': h.hnswlib.sweep[i]!.single.qps,
      'hnswlib recall': h.hnswlib.sweep[i]!.recallAtK.toFixed(4),
      '×': h.sweep[i]!.single.qps / h.hnswlib.sweep[i]!.single.qps,
      ...(h.parallel ? { [`cvf recall (${h.parallel.threads}-thread graph)`]: h.parallel.recall[i]!.toFixed(4) } : {}),
    })),
  );
  console.log(`hnsw build, 1 thread: cvf ${h.buildSeconds.toFixed(1)} s, hnswlib ${h.hnswlib.buildSeconds.toFixed(1)} s (× ${(h.hnswlib.buildSeconds / h.buildSeconds).toFixed(2)} in cvf's favour; M ${h.M}, efConstruction ${h.efConstruction})`);
  if (h.parallel && h.hnswlib.parallelBuildSeconds !== null) {
    console.log(`hnsw build, ${h.parallel.threads} threads: cvf ${h.parallel.buildSeconds.toFixed(1)} s (${(h.buildSeconds / h.parallel.buildSeconds).toFixed(2)}× its 1 thread), hnswlib ${h.hnswlib.parallelBuildSeconds.toFixed(1)} s (× ${(h.hnswlib.parallelBuildSeconds / h.parallel.buildSeconds).toFixed(2)} in cvf's favour)`);
  }
}
