import { imageTensor, Predictor, requireStage, type DecodedInput, type Device, type OnnxRuntime, type Prediction, type ScanPool } from '@cvf/core';
import { loadResolvedBundle, type ResolvedBundle } from '@cvf/core/node';
import { DynamicBatcher, type BatchingOptions, type BatchResult } from '../batching/dynamic-batcher.js';
import type { EdgeMetrics } from '../metrics.js';

/** One image of a request, with how many similar cases its caller wants (default: the bundle's k). */
export interface PredictItem {
  readonly input: DecodedInput;
  readonly similar?: number;
}

export interface ServedModelContext {
  readonly device: Device;
  readonly onnxRuntime: OnnxRuntime;
  readonly batching: BatchingOptions;
  readonly metrics: EdgeMetrics;
  /** Serve only bundles signed by this Ed25519 key (PEM). */
  readonly publicKey?: string;
  /** Threads that search a flat case index together; none: the predictor's own thread. */
  readonly scanPool?: ScanPool;
  /** Whether the request being run is the only one the server holds (see EdgeServerOptions.inferenceThread). */
  readonly loneRequest?: () => boolean;
}

/**
 * One version of a model, loaded and serving: its Predictor behind its own dynamic batcher, so
 * one inference runs at a time on its session. A replaced version is retired once its queue is
 * empty, so requests already queued finish on it.
 */
export class ServedModel {
  readonly name: string;
  /** `model_version` in every answer: the registry version, else the manifest's, else the config hash's start. */
  readonly version: string;
  /** The registry version this was resolved to (null for a bundle given by path). */
  readonly registryVersion: number | null;
  readonly predictor: Predictor;
  readonly #batcher: DynamicBatcher<PredictItem, Prediction>;
  readonly #metrics: EdgeMetrics;
  readonly #loneRequest: () => boolean;
  /** Requests holding this version (from decoding to their answer), and who waits for none. */
  #inFlight = 0;
  #featureCount = 0;
  #drained: (() => void)[] = [];

  private constructor(name: string, registryVersion: number | null, predictor: Predictor, context: ServedModelContext) {
    const { manifest } = predictor.bundle;
    this.name = name;
    this.registryVersion = registryVersion;
    this.version = String(registryVersion ?? manifest.version ?? manifest.configHash.slice(0, 12));
    this.predictor = predictor;
    this.#metrics = context.metrics;
    this.#loneRequest = context.loneRequest ?? (() => false);
    this.#batcher = new DynamicBatcher((items) => this.#run(items), context.batching, {
      onBatch: (rows) => context.metrics.batchSize.observe({ model: name }, rows),
      onQueueDepth: (depth) => context.metrics.queueDepth.set({ model: name }, depth),
    });
  }

  /** Loads a resolved bundle (verifying it) and warms it with one dummy inference. */
  static async load(resolved: ResolvedBundle, context: ServedModelContext, name?: string): Promise<ServedModel> {
    const bundle = await loadResolvedBundle(resolved, context.publicKey === undefined ? {} : { publicKey: context.publicKey });
    const predictor = await Predictor.load(bundle, { device: context.device, onnxRuntime: context.onnxRuntime, ...(context.scanPool && { scanPool: context.scanPool }) });
    const model = new ServedModel(name ?? resolved.registered?.name ?? bundle.manifest.name, resolved.registered?.version ?? null, predictor, context);
    try {
      await model.#warm();
    } catch (error) {
      await predictor.release();
      throw error;
    }
    return model;
  }

  get configHash(): string {
    return this.predictor.bundle.manifest.configHash;
  }

  /** When the bundle was written (ISO 8601). */
  get createdAt(): string {
    return this.predictor.bundle.manifest.createdAt;
  }

  /** Length of the `features` output (the PCA components, or the extractor's features without PCA). */
  get featureCount(): number {
    return this.#featureCount;
  }

  get queueDepth(): number {
    return this.#batcher.depth;
  }

  /** Predictions for a request's images, run in a batch with other requests'. */
  predict(items: readonly PredictItem[]): Promise<BatchResult<Prediction>> {
    return this.#batcher.submit(items);
  }

  /**
   * Runs one request's work on this version, which is not released before the work ends: a request
   * that started on a version finishes on it, even if another version is swapped in meanwhile.
   */
  async serve<T>(work: (model: ServedModel) => Promise<T>): Promise<T> {
    const held = this.hold();
    try {
      return await work(this);
    } finally {
      held.release();
    }
  }

  /** Keeps this version from being released until `release` (work that outlives its request: a result still to send). */
  hold(): { release(): void } {
    this.#inFlight++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        if (--this.#inFlight === 0) for (const resolve of this.#drained.splice(0)) resolve();
      },
    };
  }

  /** Runs what is queued without waiting for batches to fill (the server is draining). */
  flush(): void {
    this.#batcher.flush();
  }

  /** Waits for the requests holding this version and its batches, then frees the session. */
  async retire(): Promise<void> {
    if (this.#inFlight > 0) await new Promise<void>((resolve) => this.#drained.push(resolve));
    await this.#batcher.idle();
    await this.predictor.release();
  }

  /** One inference on a blank image of the input contract: compiles kernels and the session before the first request. */
  async #warm(): Promise<void> {
    const { height, width, channels } = this.predictor.bundle.manifest.input;
    const blank = imageTensor('u8', { height, width, channels: channels as 1 | 2 | 3 | 4 });
    const [prediction] = await this.predictor.predict([blank], { similar: 1, features: true });
    this.#featureCount = prediction!.features!.length;
  }

  async #run(items: PredictItem[]): Promise<Prediction[]> {
    const defaultK = requireStage(this.predictor.bundle.manifest, 'index').params.k;
    const k = Math.max(...items.map((item) => item.similar ?? defaultK));
    const stop = this.#metrics.inferenceDuration.startTimer({ model: this.name });
    try {
      // A lone request keeps nobody waiting while the event loop runs its model.
      const callingThread = this.#loneRequest();
      const predictions = await this.predictor.predict(items.map((item) => item.input), { similar: k, features: true, callingThread });
      return predictions.map((p, i) => ({ ...p, similar: p.similar.slice(0, items[i]!.similar ?? defaultK) }));
    } finally {
      stop();
    }
  }
}
