import { IndexError } from '../../errors.js';
import type { GraphInsertResult, GraphInsertTask } from '../hnsw/parallel-build.js';
import type { ScanTask, ScanTaskResult } from '../threads/scan-pool.js';
import { PendingAnswers } from '../threads/thread-answers.js';
import type { ThreadAnswer, ThreadReady, ThreadRequest } from '../threads/thread-protocol.js';
import { assertThreads, searchThreadsFor, workerScanPool, type ScanWorker, type WorkerScanPool } from '../threads/worker-scan-pool.js';

/** One Web Worker of the pool with its pending calls. */
class WebPoolWorker implements ScanWorker {
  readonly #worker: Worker;
  readonly #pending = new PendingAnswers();

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.onmessage = (event: MessageEvent<ThreadAnswer>) => this.#pending.settle(event.data);
    worker.onerror = (event) => this.#pending.failAll(`a search worker failed: ${event.message}`);
  }

  static async start(index: number): Promise<WebPoolWorker> {
    // The `new URL(…, import.meta.url)` form is the one bundlers (Vite, the studio's) follow to emit the worker's own chunk.
    const worker = new Worker(new URL('./scan-pool.worker.js', import.meta.url), { type: 'module', name: `cvf-scan-${index + 1}` });
    try {
      await new Promise<void>((resolve, reject) => {
        worker.onmessage = (event: MessageEvent<ThreadReady>) => (event.data.ready ? resolve() : undefined);
        worker.onerror = (event) => reject(new IndexError('INDEX_INVALID_ARGUMENT', `a search worker did not start: ${event.message || 'its script failed to load'}`));
      });
    } catch (error) {
      worker.terminate();
      throw error;
    }
    return new WebPoolWorker(worker);
  }

  scan(task: ScanTask): Promise<ScanTaskResult> {
    const { id, answer } = this.#pending.add();
    this.#worker.postMessage({ id, op: 'scan', task } satisfies ThreadRequest);
    return answer;
  }

  insertGraph(task: GraphInsertTask): Promise<GraphInsertResult> {
    const { id, answer } = this.#pending.add<GraphInsertResult>();
    this.#worker.postMessage({ id, op: 'insert-graph', task } satisfies ThreadRequest);
    return answer;
  }

  async close(): Promise<void> {
    this.#worker.terminate();
    this.#pending.failAll('the search pool was closed');
  }
}

/**
 * Why this page cannot search on several threads, or null when it can: the workers share the
 * index's memory, a SharedArrayBuffer, which browsers give only to cross-origin-isolated pages
 * (served with COOP same-origin and COEP require-corp, as the studio is).
 */
export function webThreadsUnavailable(): string | null {
  if (typeof Worker === 'undefined') return 'this context has no Web Workers';
  if (typeof SharedArrayBuffer === 'undefined' || globalThis.crossOriginIsolated !== true) {
    return 'the page is not cross-origin isolated (COOP same-origin and COEP require-corp headers): no SharedArrayBuffer to share the index with workers';
  }
  return null;
}

/**
 * A pool of `threads` threads in the browser: the page plus `threads − 1` Web Workers. The page
 * searches its share of a flat scan, but an HNSW build runs on the workers alone (callerMayWait
 * false): its node locks may block in Atomics.wait, which a page's main thread may not.
 */
export async function createWebScanPool(threads: number): Promise<WorkerScanPool> {
  assertThreads(threads);
  const unavailable = threads > 1 ? webThreadsUnavailable() : null;
  if (unavailable) throw new IndexError('INDEX_INVALID_ARGUMENT', `${threads} search threads need shared memory, but ${unavailable}`);
  const started = await Promise.allSettled(Array.from({ length: threads - 1 }, (_, i) => WebPoolWorker.start(i)));
  const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(workers.map((w) => w.close()));
    throw failed.reason;
  }
  return { ...workerScanPool(workers), callerMayWait: false };
}

/** The browser's scan pool, or why the page searches on one thread. */
export type WebSearchThreads = { readonly pool: WorkerScanPool; readonly threads: number; readonly reason: null } | { readonly pool: null; readonly threads: 1; readonly reason: string };

/**
 * The pool a page searches flat indexes with, for a configured thread count (`index.threads`: 0 is
 * one per core — `navigator.hardwareConcurrency` — at most 8): Web Workers over the index's shared
 * memory when the page is cross-origin isolated and more than one thread is asked; otherwise no
 * pool (one thread, today's path) and the reason. Pass `pool` to createIndex, deserializeIndex or
 * Predictor.load (`scanPool`); the hits are those of one thread. An HNSW index created with it
 * builds (addBatchParallel) on the `threads − 1` workers, the page only awaiting them.
 */
export async function webSearchThreads(configured = 0): Promise<WebSearchThreads> {
  const threads = searchThreadsFor(configured, globalThis.navigator?.hardwareConcurrency ?? 1);
  if (threads === 1) return { pool: null, threads: 1, reason: configured === 1 ? 'one thread was asked' : 'this machine reports one core' };
  const unavailable = webThreadsUnavailable();
  if (unavailable) return { pool: null, threads: 1, reason: unavailable };
  try {
    return { pool: await createWebScanPool(threads), threads, reason: null };
  } catch (error) {
    return { pool: null, threads: 1, reason: (error as Error).message };
  }
}
