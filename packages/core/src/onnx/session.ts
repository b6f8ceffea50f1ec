import type { FeedBufferPool } from './feed-buffer-pool.js';
import type { OnnxTensor } from './onnx-tensor.js';

export type { OnnxTensor, OnnxElementType, OnnxDataTypeMap } from './onnx-tensor.js';

/** Execution providers CV Factory asks ONNX Runtime for: `webgpu` (browser and Node), `wasm` (browser), `cpu` (Node). */
export type OnnxExecutionProvider = 'webgpu' | 'cpu' | 'wasm';

export const ONNX_EXECUTION_PROVIDERS: readonly OnnxExecutionProvider[] = ['webgpu', 'cpu', 'wasm'];

/**
 * A loaded ONNX model, the one interface core code sees whatever runtime is injected.
 * `executionProvider` is the provider that runs the whole graph: never a silent CPU fallback.
 */
export interface OnnxSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly executionProvider: OnnxExecutionProvider;
  /** Runs the model. Omitted `outputNames` fetch every output. Errors are OnnxError('ONNX_RUN_FAILED'). */
  run(feeds: Record<string, OnnxTensor>, outputNames?: readonly string[], options?: OnnxRunOptions): Promise<Record<string, OnnxTensor>>;
  /** Frees the native/GPU memory of the session; it cannot run afterwards. */
  release(): Promise<void>;
}

export interface OnnxRunOptions {
  /**
   * The caller made the feeds for this run and will not read them again: a runtime whose sessions
   * live in another thread moves their buffers there instead of copying them (the caller's arrays
   * are detached afterwards). Runtimes in the caller's thread ignore it.
   */
  handOverFeeds?: boolean;
  /**
   * Where the session puts the feeds' buffers once the run no longer reads them (after the run,
   * or when a runtime in another thread moved them there and back), for the caller's next feeds.
   */
  feedPool?: FeedBufferPool;
  /**
   * The calling thread has nothing else to do until the answer: a runtime whose sessions live in
   * a thread of their own runs this one on the calling thread instead, where it keeps a copy of
   * the session and that thread is idle (two thread crossings fewer: see createOrtNodeWorkerRuntime).
   * Runtimes in the caller's thread ignore it.
   */
  callingThread?: boolean;
}

export interface CreateSessionOptions {
  /**
   * Providers to try, in order: the first that loads the whole graph (and, for `webgpu`, runs a
   * warm-up on zero inputs) wins. With one provider, the session runs on it or creation fails
   * with OnnxError('ONNX_EP_UNAVAILABLE').
   */
  executionProviders: readonly OnnxExecutionProvider[];
  /**
   * Threads one operator may use on the CPU provider (ORT's intraOpNumThreads; default: ORT's own,
   * half the logical CPUs on Linux — one per core only where each core runs two hardware threads).
   * Benchmarks set 1 to compare one thread with one thread.
   */
  intraOpNumThreads?: number;
  /**
   * Whether the CPU provider's threads spin-wait for work between runs (ORT's default: yes, which
   * shortens back-to-back runs). A server whose event loop shares the cores with them turns it off.
   */
  allowSpinning?: boolean;
}

/** The injected ONNX Runtime adapter: onnxruntime-node on Node, onnxruntime-web in the browser. */
export interface OnnxRuntime {
  readonly name: 'onnxruntime-node' | 'onnxruntime-web';
  readonly version: string;
  /** Loads a model from its ModelProto bytes. */
  createSession(model: Uint8Array, options: CreateSessionOptions): Promise<OnnxSession>;
}
