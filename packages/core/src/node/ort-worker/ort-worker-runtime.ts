import { Worker } from 'node:worker_threads';
import { OnnxError } from '../../errors.js';
import type { OnnxTensor } from '../../onnx/onnx-tensor.js';
import type { CreateSessionOptions, OnnxExecutionProvider, OnnxRunOptions, OnnxRuntime, OnnxSession } from '../../onnx/session.js';
import { createOrtNodeRuntime } from '../ort-node.js';
import { tensorBuffers, type CreatedSession, type OrtWorkerAnswer, type OrtWorkerRequest, type RunAnswer } from './ort-worker-protocol.js';

type Request = OrtWorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

export interface OrtWorkerRuntimeOptions {
  /**
   * Keep a second copy of every session on the calling thread, for runs that ask for it
   * (`callingThread`) while the ORT thread is idle. Costs the memory of a second session per
   * model; saves the trip to the ORT thread and back, which on a busy or virtualised machine is
   * where a lone request's latency tail comes from (bench/edge). Default false.
   */
  readonly callingThreadCopies?: boolean;
}

/** Where the runs of a worker runtime went, since it was created. */
export interface OrtWorkerRuns {
  thread: number;
  callingThread: number;
}

/**
 * onnxruntime-node with its sessions in a worker thread. onnxruntime-node's `run` is synchronous
 * native code on the calling thread: on a server's event loop, every inference would stop all
 * request reading, decoding and answering for its duration (measured in bench/edge). Here the
 * event loop only posts the feeds (copied) and receives the outputs. One thread serves every
 * session of the runtime, one run at a time, as the in-process runtime does. ORT's CPU threads do
 * not spin-wait between runs unless a session asks (`allowSpinning`), so they leave the cores to
 * the event loop between batches (on bench/edge's ResNet-18 bundle the difference in latency and
 * throughput was within the run-to-run noise of the 2-core dev box).
 *
 * With `callingThreadCopies`, a run that says the calling thread would only wait for it
 * (`callingThread`) runs on that thread's copy of the session when the ORT thread has nothing to
 * do: a server's lone request, which no other request waits behind.
 */
export async function createOrtNodeWorkerRuntime(options: OrtWorkerRuntimeOptions = {}): Promise<OnnxRuntime & { runs(): OrtWorkerRuns; close(): Promise<void> }> {
  // The version, and a clear ONNX_LOAD_FAILED where the native module is missing, from this thread.
  const local = await createOrtNodeRuntime();
  const thread = await OrtWorkerThread.start();
  const runs: OrtWorkerRuns = { thread: 0, callingThread: 0 };
  return {
    name: local.name,
    version: local.version,
    createSession: async (model, sessionOptions) => {
      const plain = plainOptions(sessionOptions);
      const created = await thread.call<CreatedSession>({ op: 'create', model, options: plain });
      const copy = options.callingThreadCopies ? await local.createSession(model, plain) : null;
      return new WorkerSession(thread, created, copy, runs);
    },
    runs: () => ({ ...runs }),
    close: () => thread.close(),
  };
}

function plainOptions(options: CreateSessionOptions): CreateSessionOptions {
  return {
    executionProviders: [...options.executionProviders],
    allowSpinning: options.allowSpinning ?? false,
    ...(options.intraOpNumThreads !== undefined && { intraOpNumThreads: options.intraOpNumThreads }),
  };
}

class WorkerSession implements OnnxSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly executionProvider: OnnxExecutionProvider;
  readonly #thread: OrtWorkerThread;
  readonly #handle: number;
  /** The calling thread's copy of the session (callingThreadCopies), else null. */
  readonly #copy: OnnxSession | null;
  readonly #runs: OrtWorkerRuns;

  constructor(thread: OrtWorkerThread, created: CreatedSession, copy: OnnxSession | null, runs: OrtWorkerRuns) {
    this.#thread = thread;
    this.#handle = created.session;
    this.#copy = copy;
    this.#runs = runs;
    this.inputNames = created.inputNames;
    this.outputNames = created.outputNames;
    this.executionProvider = created.executionProvider;
  }

  async run(feeds: Record<string, OnnxTensor>, outputNames?: readonly string[], options?: OnnxRunOptions): Promise<Record<string, OnnxTensor>> {
    // Only while the ORT thread is idle: a run here beside one there would share the cores with it.
    if (this.#copy && options?.callingThread && this.#thread.idle) {
      this.#runs.callingThread++;
      return this.#copy.run(feeds, outputNames, options.feedPool && { feedPool: options.feedPool });
    }
    this.#runs.thread++;
    const moved = options?.handOverFeeds ? tensorBuffers(Object.values(feeds)) : [];
    const pool = options?.feedPool;
    const answer = await this.#thread.call<RunAnswer>({ op: 'run', session: this.#handle, feeds, outputNames: outputNames && [...outputNames], returnFeeds: moved.length > 0 && pool !== undefined }, moved);
    if (pool) {
      // Copied feeds are still the caller's; moved float32 ones came back with the answer.
      for (const { data } of Object.values(feeds)) pool.give(data);
      for (const buffer of answer.feeds) pool.give(new Float32Array(buffer));
    }
    return answer.outputs;
  }

  async release(): Promise<void> {
    await this.#copy?.release();
    await this.#thread.call({ op: 'release', session: this.#handle });
  }
}

class OrtWorkerThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  #next = 0;
  #exited: Error | null = null;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (answer: OrtWorkerAnswer) => {
      const pending = this.#pending.get(answer.id);
      if (!pending) return;
      this.#pending.delete(answer.id);
      if (answer.ok) pending.resolve(answer.value);
      else pending.reject(answerError(answer));
      // An idle thread does not keep the process alive.
      if (this.#pending.size === 0) worker.unref();
    });
    worker.on('exit', (code) => {
      this.#exited = new OnnxError('ONNX_RUN_FAILED', `the ONNX Runtime thread exited (code ${code})`);
      for (const { reject } of this.#pending.values()) reject(this.#exited);
      this.#pending.clear();
    });
    worker.unref();
  }

  static async start(): Promise<OrtWorkerThread> {
    // From the sources (tests and benches run TypeScript), the thread is TypeScript too, loaded through tsx.
    const source = import.meta.url.endsWith('.ts');
    const url = new URL(`./ort-worker-thread.${source ? 'ts' : 'js'}`, import.meta.url);
    const worker = source
      ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, execArgv: ['--conditions=source'] })
      : new Worker(url);
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return new OrtWorkerThread(worker);
  }

  /** Nothing posted is still unanswered. */
  get idle(): boolean {
    return this.#pending.size === 0;
  }

  /** Posts a request; `transfer` lists buffers moved to the thread rather than copied. */
  call<T>(request: Request, transfer: readonly ArrayBuffer[] = []): Promise<T> {
    if (this.#exited) return Promise.reject(this.#exited);
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.ref();
      this.#worker.postMessage({ ...request, id }, [...transfer]);
    });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}

function answerError(answer: OrtWorkerAnswer & { ok: false }): Error {
  if (answer.code === 'ONNX_LOAD_FAILED' || answer.code === 'ONNX_RUN_FAILED' || answer.code === 'ONNX_EP_UNAVAILABLE' || answer.code === 'ONNX_GRAPH_INVALID') {
    return new OnnxError(answer.code, answer.message);
  }
  return new Error(`${answer.name}: ${answer.message}`);
}
