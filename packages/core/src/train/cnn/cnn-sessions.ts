import type { OnnxTensor } from '../../onnx/onnx-tensor.js';
import type { CreateSessionOptions, OnnxRuntime, OnnxSession } from '../../onnx/session.js';
import { CNN_INPUT, cnnEvalModel, cnnStepModel } from './cnn-graph.js';
import { cnnLayout, type CnnLayout, type CnnValues } from './cnn-parameters.js';
import type { CnnSpec } from './cnn-spec.js';

/** ORT session options for the CNN's graphs: the CPU provider, `threads` intra-op threads (default: ORT's own). */
export interface CnnSessionOptions {
  readonly threads?: number;
  /**
   * Whether ORT's threads spin-wait between operators (default: no). The step graph has many
   * single-threaded or memory-bound operators (BatchNormalization, Pad, Cast, small ones), during
   * which a spinning second thread burns a core for nothing: on 2 threads, quiet, the bench
   * network's step took 0.85× the CPU time without spinning and no longer (122 against 127 ms).
   */
  readonly allowSpinning?: boolean;
}

function cpuSessionOptions(options: CnnSessionOptions): CreateSessionOptions {
  return { executionProviders: ['cpu'], ...(options.threads ? { intraOpNumThreads: options.threads } : {}), allowSpinning: options.allowSpinning ?? false };
}

/** One batch of images [rows, C, H, W] (row-major, preprocessed) and their labels (−1: unlabelled). */
export interface CnnBatch {
  readonly x: Float32Array;
  readonly labels: Int32Array;
  /** Per row (default all 1). */
  readonly rowWeights?: Float32Array;
}

export interface CnnStepResult {
  /** dL/dθ by parameter name. */
  readonly gradients: Map<string, Float32Array>;
  /** The BN running statistics after this batch, by name. */
  readonly running: Map<string, Float32Array>;
  /** Each row's share of the batch loss. */
  readonly rowLosses: Float32Array;
}

function feed(data: Float32Array, dims: readonly number[]): OnnxTensor {
  return { type: 'float32', dims: [...dims], data };
}

function valueFeeds(layout: CnnLayout, values: CnnValues): Record<string, OnnxTensor> {
  const feeds: Record<string, OnnxTensor> = {};
  for (const { name, shape } of [...layout.parameters, ...layout.buffers]) feeds[name] = feed(values.get(name)!, shape);
  return feeds;
}

/**
 * The training step graph (cnn-graph.ts): forward, loss and gradients per `run`. The graph is
 * built for one batch size, so there is one ORT session per size met, made at its first batch;
 * the two most recent are kept (an epoch's full batches and its last, shorter one).
 */
export class CnnStepSession {
  readonly spec: CnnSpec;
  readonly #runtime: OnnxRuntime;
  readonly #labelSmoothing: number;
  readonly #options: CnnSessionOptions;
  readonly #layout: CnnLayout;
  /** By batch size, least recently used first. */
  readonly #sessions = new Map<number, Promise<OnnxSession>>();

  private constructor(runtime: OnnxRuntime, spec: CnnSpec, labelSmoothing: number, options: CnnSessionOptions) {
    this.spec = spec;
    this.#runtime = runtime;
    this.#labelSmoothing = labelSmoothing;
    this.#options = options;
    this.#layout = cnnLayout(spec);
  }

  static async create(runtime: OnnxRuntime, spec: CnnSpec, labelSmoothing: number, options: CnnSessionOptions = {}): Promise<CnnStepSession> {
    return new CnnStepSession(runtime, spec, labelSmoothing, options);
  }

  /** `classWeights` [classes]; `scale` makes the batch loss a weighted mean (1 / Σ weights). */
  async run(values: CnnValues, batch: CnnBatch, classWeights: Float32Array, scale: number): Promise<CnnStepResult> {
    const { spec } = this;
    const rows = batch.labels.length;
    const session = await this.#sessionFor(rows);
    const out = await session.run({
      [CNN_INPUT]: feed(batch.x, [rows, spec.inputChannels, spec.height, spec.width]),
      labels: { type: 'int32', dims: [rows], data: batch.labels },
      classWeights: feed(classWeights, [spec.classes]),
      rowWeights: feed(batch.rowWeights ?? new Float32Array(rows).fill(1), [rows]),
      scale: feed(Float32Array.of(scale), []),
      ...valueFeeds(this.#layout, values),
    });
    const take = (name: string) => out[name]!.data as Float32Array;
    return {
      gradients: new Map(this.#layout.parameters.map(({ name }) => [name, take(`grad.${name}`)])),
      running: new Map(this.#layout.buffers.map(({ name }) => [name, take(`running.${name}`)])),
      rowLosses: take('rowLosses'),
    };
  }

  async release(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(sessions.map(async (session) => (await session).release()));
  }

  #sessionFor(rows: number): Promise<OnnxSession> {
    let session = this.#sessions.get(rows);
    if (session) this.#sessions.delete(rows);
    else session = this.#runtime.createSession(cnnStepModel(this.spec, this.#labelSmoothing, rows), cpuSessionOptions(this.#options));
    this.#sessions.set(rows, session);
    if (this.#sessions.size > 2) {
      const [oldest, stale] = this.#sessions.entries().next().value!;
      this.#sessions.delete(oldest);
      void stale.then((s) => s.release(), () => undefined);
    }
    return session;
  }
}

/** The inference forward pass (BN on running statistics) with the values fed per call. */
export class CnnEvalSession {
  readonly spec: CnnSpec;
  readonly #session: OnnxSession;
  readonly #layout: CnnLayout;

  private constructor(spec: CnnSpec, session: OnnxSession) {
    this.spec = spec;
    this.#session = session;
    this.#layout = cnnLayout(spec);
  }

  static async create(runtime: OnnxRuntime, spec: CnnSpec, options: CnnSessionOptions = {}): Promise<CnnEvalSession> {
    const session = await runtime.createSession(cnnEvalModel(spec), cpuSessionOptions(options));
    return new CnnEvalSession(spec, session);
  }

  /** Embeddings [rows, D] and logits [rows, classes] of `images` [rows, C, H, W], `batchSize` rows per run. */
  async forward(values: CnnValues, images: Float32Array, batchSize = 256): Promise<{ embedding: Float32Array; logits: Float32Array; dim: number }> {
    const { spec } = this;
    const item = spec.inputChannels * spec.height * spec.width;
    const rows = images.length / item;
    const feeds = valueFeeds(this.#layout, values);
    let embedding = new Float32Array(0);
    let dim = 0;
    const logits = new Float32Array(rows * spec.classes);
    for (let start = 0; start < rows; start += batchSize) {
      const n = Math.min(batchSize, rows - start);
      const out = await this.#session.run({ ...feeds, [CNN_INPUT]: feed(images.subarray(start * item, (start + n) * item), [n, spec.inputChannels, spec.height, spec.width]) });
      const e = out.embedding!.data as Float32Array;
      if (start === 0) {
        dim = e.length / n;
        embedding = new Float32Array(rows * dim);
      }
      embedding.set(e, start * dim);
      logits.set(out.logits!.data as Float32Array, start * spec.classes);
    }
    return { embedding, logits, dim };
  }

  release(): Promise<void> {
    return this.#session.release();
  }
}
