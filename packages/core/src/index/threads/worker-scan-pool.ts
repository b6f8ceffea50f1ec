import { DEFAULT_MAX_SEARCH_THREADS } from '../../config/sections/vector-index.js';
import { IndexError } from '../../errors.js';
import type { GraphInsertResult, GraphInsertTask } from '../hnsw/parallel-build.js';
import type { ScanPool, ScanTask, ScanTaskResult } from './scan-pool.js';

/** One worker of a pool as the pool sees it (a Node worker thread, a browser Web Worker). */
export interface ScanWorker {
  scan(task: ScanTask): Promise<ScanTaskResult>;
  /** Workers that can also insert into an HNSW graph (see GraphInsertTask). */
  insertGraph?(task: GraphInsertTask): Promise<GraphInsertResult>;
  close(): Promise<void>;
}

/** A ScanPool over workers that also says how many tasks each worker has answered. */
export interface WorkerScanPool extends ScanPool {
  /** Per worker (0 … threads − 2), the scan tasks it answered so far: proof the work really spread. */
  answered(): readonly number[];
}

/** Refuses a thread count that is not a whole number ≥ 1. */
export function assertThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) throw new IndexError('INDEX_INVALID_ARGUMENT', `threads = ${threads} must be an integer ≥ 1`);
}

/**
 * Search threads for a configured `index.threads` or `--threads` value on a machine of `cores`
 * cores: 0 is one per core, at most DEFAULT_MAX_SEARCH_THREADS.
 */
export function searchThreadsFor(configured: number, cores: number): number {
  if (!Number.isInteger(configured) || configured < 0) throw new IndexError('INDEX_INVALID_ARGUMENT', `threads = ${configured} must be an integer ≥ 0 (0: one per core)`);
  return configured === 0 ? Math.max(1, Math.min(cores, DEFAULT_MAX_SEARCH_THREADS)) : configured;
}

/** The pool of the calling thread plus `workers`: task t − 1 goes to worker t − 1. */
export function workerScanPool(workers: readonly ScanWorker[]): WorkerScanPool {
  const answered = workers.map(() => 0);
  return {
    threads: workers.length + 1,
    run: async (task, worker) => {
      const thread = workers[worker];
      if (!thread) throw new IndexError('INDEX_INVALID_ARGUMENT', `worker ${worker} is not one of 0..${workers.length - 1}`);
      const result = await thread.scan(task);
      answered[worker]!++;
      return result;
    },
    ...(workers.every((w) => w.insertGraph)
      ? {
          insertGraph: (task: GraphInsertTask, worker: number) => {
            const thread = workers[worker];
            if (!thread) return Promise.reject(new IndexError('INDEX_INVALID_ARGUMENT', `worker ${worker} is not one of 0..${workers.length - 1}`));
            return thread.insertGraph!(task);
          },
        }
      : {}),
    answered: () => [...answered],
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
