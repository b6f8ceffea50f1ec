import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { GraphInsertResult, GraphInsertTask } from '../../index/hnsw/parallel-build.js';
import type { ScanTask, ScanTaskResult } from '../../index/threads/scan-pool.js';
import { PendingAnswers } from '../../index/threads/thread-answers.js';
import type { ThreadAnswer, ThreadRequest } from '../../index/threads/thread-protocol.js';
import { assertThreads, searchThreadsFor, workerScanPool, type ScanWorker, type WorkerScanPool } from '../../index/threads/worker-scan-pool.js';

/** The number of threads when none is asked: the machine's cores, capped by `max` when given. */
export function defaultThreads(max?: number): number {
  const cores = availableParallelism();
  return Math.max(1, max === undefined ? cores : Math.min(cores, max));
}

/** Search threads for a configured `index.threads` or `--threads` value: 0 is one per core, at most DEFAULT_MAX_SEARCH_THREADS. */
export function searchThreads(configured: number): number {
  return searchThreadsFor(configured, availableParallelism());
}

/** One worker thread with its pending calls. */
class PoolThread implements ScanWorker {
  readonly #worker: Worker;
  readonly #pending = new PendingAnswers();

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (answer: ThreadAnswer) => {
      this.#pending.settle(answer);
      // An idle thread does not keep the process alive.
      if (this.#pending.size === 0) worker.unref();
    });
    worker.on('exit', (code) => this.#pending.failAll(`a search thread exited (code ${code})`));
    worker.unref();
  }

  static async start(): Promise<PoolThread> {
    // From the sources (tests and benches run TypeScript), the thread is TypeScript too, loaded through tsx.
    const source = import.meta.url.endsWith('.ts');
    const url = new URL(`./pool-thread.${source ? 'ts' : 'js'}`, import.meta.url);
    const worker = source
      ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, execArgv: ['--conditions=source'] })
      : new Worker(url);
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return new PoolThread(worker);
  }

  scan(task: ScanTask): Promise<ScanTaskResult> {
    const { id, answer } = this.#pending.add();
    this.#worker.ref();
    this.#worker.postMessage({ id, op: 'scan', task } satisfies ThreadRequest);
    return answer;
  }

  insertGraph(task: GraphInsertTask): Promise<GraphInsertResult> {
    const { id, answer } = this.#pending.add<GraphInsertResult>();
    this.#worker.ref();
    this.#worker.postMessage({ id, op: 'insert-graph', task } satisfies ThreadRequest);
    return answer;
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}

/**
 * A pool of `threads` threads for parallel index searches: the calling thread plus `threads − 1`
 * worker_threads, which scan the index's shared memory in place. Pass it as `pool` when creating
 * a flat index; close it when done (idle threads do not keep the process alive).
 */
export async function createScanPool(threads = defaultThreads()): Promise<WorkerScanPool> {
  assertThreads(threads);
  return workerScanPool(await Promise.all(Array.from({ length: threads - 1 }, () => PoolThread.start())));
}
