import type { LinearMemory } from '../../compute/wasm/linear-memory.js';
import { IndexError } from '../../errors.js';
import { QUERY_BLOCK } from '../simd/flat-scan-kernels.js';
import type { SearchKernelExports } from '../simd/search-kernels.js';
import type { VectorMetric } from '../types.js';
import type { ExactScoring, ScanPool, ScanTaskResult } from '../threads/scan-pool.js';
import { memoryKey } from '../threads/memory-key.js';
import type { ScanSink } from '../threads/scan-sink.js';
import { probeSeeds } from './probe-seeds.js';
import { executeScan, sliceArea, sliceBytes, type ScanPlan, type ScanSlice } from './scan-plan.js';

/**
 * The caller's share of a batch beside a worker's where the caller rescores more than its own
 * queries: after its scan it rescores its own while the workers still scan, then the workers'
 * (kinds other than f32). Rescoring reads each candidate's vector across a panel (dimension-major),
 * about a quarter of the bounded scan's time on PCA-64 rows (CPU profile of flat f32,
 * Fashion-MNIST), so the caller scans 1 / 1.25 of a worker's share. Where the workers score their
 * own candidates exactly (f32), every thread does the same work per query and the shares are equal.
 */
const CALLER_WEIGHT = 0.8;

/**
 * Below 2²² values (65,536 rows of 64 dims) one query's scan takes about a tenth of a millisecond
 * (less with the bounded scan), and waking a worker and taking its answer costs tens of
 * microseconds on an idle core and milliseconds on a busy one: a single query then runs on the
 * calling thread. Batches split their queries at any size.
 */
export const SPLIT_ROWS_FROM = 2 ** 22;

export interface ParallelScanInput {
  readonly memory: LinearMemory;
  readonly kernels: SearchKernelExports;
  readonly stages: readonly number[];
  readonly pool: ScanPool;
  /** This thread's sink: seeds at −∞ (or set, when the rows split), collector reset for `m` queries of `keep` candidates. */
  readonly sink: ScanSink;
  readonly plan: ScanPlan;
  readonly panels: number;
  readonly m: number;
  readonly keep: number;
  /** This thread's working area (its thresholds hold the seeds when the rows split). */
  readonly local: { thresholds: number; scratch: number; decoded: number };
  readonly count: number;
  /** Exact scoring of the workers' candidates on the workers (f32 plans; see exactScoring), or null. */
  readonly exact: ExactScoring | null;
}

/**
 * Whether workers can score their kept candidates exactly themselves: with the queries split, and
 * for f32 plans, whose panels hold the vectors exact scoring reads.
 */
export function exactScoring(plan: ScanPlan, metric: VectorMetric, m: number, threads: number): ExactScoring | null {
  if (m < threads || (plan.kind !== 'f32' && plan.kind !== 'f32-bounded')) return null;
  return metric === 'l2' ? 'l2' : 'dot';
}

/** A worker's queries with their kept slots and exact scores (best first by key), for the caller to order. */
export interface ScoredShare {
  readonly firstQuery: number;
  readonly queries: number;
  readonly offsets: Int32Array;
  readonly slots: Int32Array;
  readonly scores: Float64Array;
}

/** One thread's share of a scan: panels and queries (see scanShares). */
export interface ScanShare {
  readonly firstPanel: number;
  readonly panels: number;
  readonly firstQuery: number;
  readonly queries: number;
}

/**
 * The shares of a scan: fewer queries than threads → the panels split in contiguous ranges, every
 * thread scanning every query (single-query search); otherwise the queries split on QUERY_BLOCK
 * boundaries (so blocks group as on one thread), every thread scanning every panel. Share 0 is the
 * caller's: with queries split it gets `callerWeight` of a worker's share (it also rescores its
 * queries afterwards).
 */
export function scanShares(threads: number, panels: number, m: number, callerWeight = 1): ScanShare[] {
  const shares: ScanShare[] = [];
  if (m < threads) {
    for (let t = 0; t < threads; t++) {
      const first = Math.floor((t * panels) / threads);
      const end = Math.floor(((t + 1) * panels) / threads);
      if (end > first) shares.push({ firstPanel: first, panels: end - first, firstQuery: 0, queries: m });
    }
  } else {
    const blocks = Math.ceil(m / QUERY_BLOCK);
    const total = callerWeight + threads - 1;
    const boundary = (t: number): number => (t === 0 ? 0 : Math.min(m, Math.floor((blocks * (callerWeight + t - 1)) / total) * QUERY_BLOCK));
    for (let t = 0; t < threads; t++) {
      const first = boundary(t);
      const end = t === threads - 1 ? m : boundary(t + 1);
      if (end > first) shares.push({ firstPanel: 0, panels, firstQuery: first, queries: end - first });
    }
  }
  return shares;
}

/**
 * A parallel scan under way: the caller's share is scanned; `merged` settles once the workers'
 * candidates are in the sink's collector, or — scored exactly on the workers — in its shares.
 */
export interface RunningScan {
  /** The queries whose candidates are final already (the caller's share when the queries were split; none when the rows were). */
  readonly settled: { readonly firstQuery: number; readonly queries: number };
  readonly merged: Promise<ScoredShare[]>;
}

/**
 * Scans on this thread and the pool's workers at once, over the same shared memory: share 0 here
 * into the sink's collector, the others on workers with their own thresholds and scratch (the
 * 'workers' region, reserved before the plan was made), whose kept candidates are then offered to
 * the same collector. The collector orders by (key, slot), so the result is the one-thread one.
 * With the queries split, every thread seeds its own queries' thresholds (probeSeeds) and the
 * caller can rescore its share while the workers scan; with the rows split, the caller seeded
 * every query before (the sink's seeds) and the workers take those seeds.
 */
export function startParallelScan(input: ParallelScanInput): RunningScan {
  const { memory, pool, sink, plan, m } = input;
  const wasm = memory.wasm;
  if (!wasm || typeof SharedArrayBuffer === 'undefined' || !(wasm.buffer instanceof SharedArrayBuffer)) throw new IndexError('INDEX_INVALID_ARGUMENT', 'a parallel search needs an index created with a pool of more than one thread (its memory shared)');
  const shares = scanShares(pool.threads, input.panels, m, input.exact ? 1 : CALLER_WEIGHT);
  const splitQueries = m >= pool.threads;
  const areaBytes = sliceBytes(plan.dim, m, plan.kind === 'f16' || plan.kind === 'f16-bounded');
  const workersBase = memory.ptr('workers');
  const seeds = splitQueries ? null : sink.seeds.slice(0, m);
  const key = memoryKey(memory);
  const running: Promise<ScanTaskResult>[] = [];
  for (let t = 1; t < shares.length; t++) {
    const area = sliceArea(workersBase + (t - 1) * areaBytes, m);
    if (seeds) new Float32Array(wasm.buffer, area.thresholds, m).set(seeds);
    const slice: ScanSlice = { ...shares[t]!, ...area };
    running.push(pool.run({ memoryKey: key, memory: wasm, stages: input.stages, plan, slice, count: input.count, pool: input.keep, seeds, panels: input.panels, exact: input.exact }, t - 1));
  }
  const all = Promise.all(running);
  all.catch(() => undefined); // awaited through `merged`; a failure must not surface twice
  const own = shares[0];
  if (own) {
    const slice = { ...own, ...input.local };
    if (splitQueries) probeSeeds(input.kernels, plan, sink, slice, input.panels, input.keep, memory.f32('thresholds', m));
    try {
      executeScan(input.kernels, plan, slice);
    } catch (error) {
      return { settled: { firstQuery: 0, queries: 0 }, merged: Promise.allSettled(running).then(() => Promise.reject(error)) };
    }
  }
  const merged = all.then((results) => {
    const collector = sink.collector;
    const scored: ScoredShare[] = [];
    results.forEach((result, i) => {
      const { firstQuery, queries } = shares[i + 1]!;
      if (result.scores) {
        scored.push({ firstQuery, queries, offsets: result.offsets, slots: result.slots, scores: result.scores });
        return;
      }
      for (let q = 0; q < queries; q++) {
        for (let j = result.offsets[q]!; j < result.offsets[q + 1]!; j++) collector.offer(firstQuery + q, result.keys[j]!, result.slots[j]!);
      }
    });
    return scored;
  });
  return { settled: splitQueries && own ? { firstQuery: own.firstQuery, queries: own.queries } : { firstQuery: 0, queries: 0 }, merged };
}
