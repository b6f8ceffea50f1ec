import type { ScanPlan, ScanSlice } from '../flat/scan-plan.js';
import type { GraphInsertResult, GraphInsertTask } from '../hnsw/parallel-build.js';

/**
 * One worker's share of a flat search: the plan and slice of scan-plan.ts over the index's shared
 * memory. `memoryKey` names the memory, so a worker instantiates the kernels over it once.
 */
export interface ScanTask {
  readonly memoryKey: string;
  /** The index's WebAssembly.Memory (shared: its buffer is a SharedArrayBuffer). */
  readonly memory: WebAssembly.Memory;
  readonly stages: readonly number[];
  readonly plan: ScanPlan;
  readonly slice: ScanSlice;
  /** Slots in the index. */
  readonly count: number;
  /** Candidates kept per query. */
  readonly pool: number;
  /**
   * Seeds of every query of the search (see ScanSink) when the rows split: the slice's thresholds
   * already hold them. Null when the queries split: the worker seeds its own (probeSeeds).
   */
  readonly seeds: Float32Array | null;
  /** Panels in the whole index (where the probe spreads). */
  readonly panels: number;
  /**
   * f32 plans with the queries split: the worker also scores its kept candidates exactly (see
   * exactScores) — `dot` for dot and cosine, `l2` for squared distances — so the caller only
   * orders them. Null: the caller rescores.
   */
  readonly exact: ExactScoring | null;
}

export type ExactScoring = 'dot' | 'l2';

/** The kept candidates of a slice's queries, best first: query i's are [offsets[i], offsets[i + 1]). */
export interface ScanTaskResult {
  readonly offsets: Int32Array;
  readonly slots: Int32Array;
  readonly keys: Float32Array;
  /** With `exact`: each kept slot's exact score, as the index's exact rescoring computes it. */
  readonly scores: Float64Array | null;
}

/**
 * Threads that run scan tasks over shared memory. The core defines the contract and stays
 * isomorphic; Node injects a pool of worker_threads (`createScanPool` in @cvf/core/node).
 * `threads` counts the calling thread, which scans one share itself: a pool of N threads runs
 * N − 1 workers.
 */
export interface ScanPool {
  readonly threads: number;
  /** Runs a task on worker `worker` (0 ≤ worker < threads − 1). */
  run(task: ScanTask, worker: number): Promise<ScanTaskResult>;
  /**
   * False where the calling thread may not block in Atomics.wait (a browser page's main thread):
   * a parallel HNSW build then inserts on the workers only. Absent: it may (Node).
   */
  readonly callerMayWait?: boolean;
  /** Runs one worker's part of a parallel HNSW build (pools without it build on one thread). */
  insertGraph?(task: GraphInsertTask, worker: number): Promise<GraphInsertResult>;
  close(): Promise<void>;
}
