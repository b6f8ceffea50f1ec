import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DEFAULT_MAX_SEARCH_THREADS } from '../../config/sections/vector-index.js';
import { IndexError } from '../../errors.js';
import type { ScanPool, ScanTask, ScanTaskResult } from '../../index/threads/scan-pool.js';
import type { ThreadAnswer } from './thread-protocol.js';

/** The number of threads when none is asked: the machine's cores, capped by `max` when given. */
export function defaultThreads(max?: number): number {
  const cores = availableParallelism();
  return Math.max(1, max === undefined ? cores : Math.min(cores, max));
}

/** Search threads for a configured `index.threads` or `--threads` value: 0 is one per core, at most DEFAULT_MAX_SEARCH_THREADS. */
export function searchThreads(configured: number): number {
  if (!Number.isInteger(configured) || configured < 0) throw new IndexError('INDEX_INVALID_ARGUMENT', `threads = ${configured} must be an integer ≥ 0 (0: one per core)`);
  return configured === 0 ? defaultThreads(DEFAULT_MAX_SEARCH_THREADS) : configured;
}

/** One worker thread with its pending calls. */
class PoolThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(value: ScanTaskResult): void; reject(error: unknown): void }>();
  #next = 0;
  #exited: Error | null = null;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (answer: ThreadAnswer) => {
      const pending = this.#pending.get(answer.id);
      if (!pending) return;
      this.#pending.delete(answer.id);
      if (answer.ok) pending.resolve(answer.value);
      else pending.reject(new Error(`${answer.name}${answer.code ? ` (${answer.code})` : ''}: ${answer.message}`));
      // An idle thread does not keep the process alive.
      if (this.#pending.size === 0) worker.unref();
    });
    worker.on('exit', (code) => {
      this.#exited = new IndexError('INDEX_INVALID_ARGUMENT', `a search thread exited (code ${code})`);
      for (const { reject } of this.#pending.values()) reject(this.#exited);
      this.#pending.clear();
    });
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
    if (this.#exited) return Promise.reject(this.#exited);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.ref();
      this.#worker.postMessage({ id, op: 'scan', task });
    });
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
export async function createScanPool(threads = defaultThreads()): Promise<ScanPool> {
  if (!Number.isInteger(threads) || threads < 1) throw new IndexError('INDEX_INVALID_ARGUMENT', `threads = ${threads} must be an integer ≥ 1`);
  const workers = await Promise.all(Array.from({ length: threads - 1 }, () => PoolThread.start()));
  return {
    threads,
    run: (task, worker) => {
      const thread = workers[worker];
      if (!thread) return Promise.reject(new IndexError('INDEX_INVALID_ARGUMENT', `worker ${worker} is not one of 0..${workers.length - 1}`));
      return thread.scan(task);
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
