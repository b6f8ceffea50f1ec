import type { LinearMemory } from '../../compute/wasm/linear-memory.js';
import { IndexError } from '../../errors.js';
import { QUERY_BLOCK } from '../simd/flat-scan-kernels.js';
import type { SearchKernelExports } from '../simd/search-kernels.js';
import type { ScanPool, ScanTaskResult } from '../threads/scan-pool.js';
import type { ScanSink } from '../threads/scan-sink.js';
import { executeScan, sliceArea, sliceBytes, type ScanPlan, type ScanSlice } from './scan-plan.js';

export interface ParallelScanInput {
  readonly memory: LinearMemory;
  readonly kernels: SearchKernelExports;
  readonly stages: readonly number[];
  readonly pool: ScanPool;
  /** This thread's sink: seeds set, collector reset for `m` queries of `keep` candidates. */
  readonly sink: ScanSink;
  readonly plan: ScanPlan;
  readonly panels: number;
  readonly m: number;
  readonly keep: number;
  /** This thread's working area (thresholds already hold the seeds). */
  readonly local: { thresholds: number; scratch: number; decoded: number };
  readonly count: number;
}

const memoryKeys = new WeakMap<LinearMemory, string>();
let nextKey = 0;

/** A name for an index's memory, unique in this thread's lifetime, by which workers cache their kernels. */
function memoryKey(memory: LinearMemory): string {
  let key = memoryKeys.get(memory);
  if (key === undefined) {
    key = `${Date.now().toString(36)}-${(nextKey++).toString(36)}-${Math.random().toString(36).slice(2)}`;
    memoryKeys.set(memory, key);
  }
  return key;
}

/**
 * The shares of a scan: fewer queries than threads → the panels split in contiguous ranges, every
 * thread scanning every query (single-query search); otherwise the queries split on QUERY_BLOCK
 * boundaries (so blocks group as on one thread), every thread scanning every panel.
 */
export function scanShares(threads: number, panels: number, m: number): { firstPanel: number; panels: number; firstQuery: number; queries: number }[] {
  const shares: { firstPanel: number; panels: number; firstQuery: number; queries: number }[] = [];
  if (m < threads) {
    for (let t = 0; t < threads; t++) {
      const first = Math.floor((t * panels) / threads);
      const end = Math.floor(((t + 1) * panels) / threads);
      if (end > first) shares.push({ firstPanel: first, panels: end - first, firstQuery: 0, queries: m });
    }
  } else {
    const blocks = Math.ceil(m / QUERY_BLOCK);
    for (let t = 0; t < threads; t++) {
      const first = Math.min(m, Math.floor((t * blocks) / threads) * QUERY_BLOCK);
      const end = Math.min(m, Math.floor(((t + 1) * blocks) / threads) * QUERY_BLOCK);
      if (end > first) shares.push({ firstPanel: 0, panels, firstQuery: first, queries: end - first });
    }
  }
  return shares;
}

/**
 * Scans on this thread and the pool's workers at once, over the same shared memory: share 0 here
 * into the sink's collector, the others on workers with their own thresholds and scratch (the
 * 'workers' region, reserved before the plan was made), whose kept candidates are then offered to
 * the same collector. The collector orders by (key, slot), so the result is the one-thread one.
 */
export async function parallelScan(input: ParallelScanInput): Promise<void> {
  const { memory, pool, sink, plan, m } = input;
  const wasm = memory.wasm;
  if (!wasm || typeof SharedArrayBuffer === 'undefined' || !(wasm.buffer instanceof SharedArrayBuffer)) throw new IndexError('INDEX_INVALID_ARGUMENT', 'a parallel search needs an index created with a pool of more than one thread (its memory shared)');
  const shares = scanShares(pool.threads, input.panels, m);
  const areaBytes = sliceBytes(plan.dim, m, plan.kind === 'f16' || plan.kind === 'f16-bounded');
  const workersBase = memory.ptr('workers');
  const seeds = sink.seeds.slice(0, m);
  const key = memoryKey(memory);
  const running: Promise<ScanTaskResult>[] = [];
  for (let t = 1; t < shares.length; t++) {
    const area = sliceArea(workersBase + (t - 1) * areaBytes, m);
    new Float32Array(wasm.buffer, area.thresholds, m).set(seeds);
    const slice: ScanSlice = { ...shares[t]!, ...area };
    running.push(pool.run({ memoryKey: key, memory: wasm, stages: input.stages, plan, slice, count: input.count, pool: input.keep, seeds }, t - 1));
  }
  const settled = Promise.allSettled(running);
  try {
    if (shares[0]) executeScan(input.kernels, plan, { ...shares[0], ...input.local });
  } finally {
    await settled;
  }
  const results = await Promise.all(running);
  const collector = sink.collector;
  results.forEach((result, i) => {
    const { firstQuery, queries } = shares[i + 1]!;
    for (let q = 0; q < queries; q++) {
      for (let j = result.offsets[q]!; j < result.offsets[q + 1]!; j++) collector.offer(firstQuery + q, result.keys[j]!, result.slots[j]!);
    }
  });
}
