import { CvfError, IndexError } from '../../errors.js';
import { GraphInsertRunner } from '../hnsw/parallel-build.js';
import type { ScanTaskRunner } from './run-scan-task.js';
import type { ScanTaskResult } from './scan-pool.js';
import type { ThreadAnswer, ThreadRequest } from './thread-protocol.js';

/** The thread's parallel HNSW builds (one runner per thread, like the caller's `scans`). */
const graphInserts = new GraphInsertRunner();

/**
 * The thread's side of a request: runs it and returns the answer with the buffers to transfer
 * (the candidates go out without a copy), or the failure's name, code and message.
 */
export async function answerThreadRequest(scans: ScanTaskRunner, request: ThreadRequest): Promise<{ answer: ThreadAnswer; transfer: ArrayBuffer[] }> {
  try {
    if (request.op === 'insert-graph') return { answer: { id: request.id, ok: true, value: await graphInserts.run(request.task) }, transfer: [] };
    const value = await scans.run(request.task);
    return { answer: { id: request.id, ok: true, value }, transfer: [value.offsets.buffer, value.slots.buffer, value.keys.buffer] as ArrayBuffer[] };
  } catch (error) {
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    return { answer: { id: request.id, ok: false, name, code: error instanceof CvfError ? error.code : undefined, message }, transfer: [] };
  }
}

/** The caller's side of one thread: numbers requests and settles each with its answer, in any order. */
export class PendingAnswers {
  readonly #pending = new Map<number, { resolve(value: never): void; reject(error: unknown): void }>();
  #next = 0;
  #failed: Error | null = null;

  get size(): number {
    return this.#pending.size;
  }

  /** A new request's id and the promise its answer settles; rejected at once after `failAll`. */
  add<T = ScanTaskResult>(): { id: number; answer: Promise<T> } {
    const id = this.#next++;
    if (this.#failed) return { id, answer: Promise.reject(this.#failed) };
    return { id, answer: new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject })) };
  }

  /** Settles the request `answer` answers (an unknown id is ignored). */
  settle(answer: ThreadAnswer): void {
    const pending = this.#pending.get(answer.id);
    if (!pending) return;
    this.#pending.delete(answer.id);
    // The answer's value is of the type its request's `add` named.
    if (answer.ok) pending.resolve(answer.value as never);
    else pending.reject(new Error(`${answer.name}${answer.code ? ` (${answer.code})` : ''}: ${answer.message}`));
  }

  /** The thread is gone: every pending request and every later one fails with `reason`. */
  failAll(reason: string): void {
    this.#failed = new IndexError('INDEX_INVALID_ARGUMENT', reason);
    for (const { reject } of this.#pending.values()) reject(this.#failed);
    this.#pending.clear();
  }
}
