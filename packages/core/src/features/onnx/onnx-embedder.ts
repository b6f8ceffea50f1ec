import type { Device } from '../../compute/device.js';
import { formatShape, sizeOf } from '../../compute/shape.js';
import { Tensor } from '../../compute/tensor.js';
import { FeatureError, ShapeError } from '../../errors.js';
import { onnxTensor } from '../../onnx/onnx-tensor.js';
import { ONNX_EXECUTION_PROVIDERS, type OnnxExecutionProvider, type OnnxRuntime, type OnnxSession } from '../../onnx/session.js';
import { decodeComponentState, encodeComponentState, type ComponentHeader } from '../component-state.js';
import type { FeatureExtractor } from '../feature-extractor.js';

export interface OnnxEmbedderOptions {
  /** The ONNX model (ModelProto bytes). */
  readonly model: Uint8Array;
  /** The output used as the embedding, by name (default: the model's first output). */
  readonly output?: string;
  /** The input fed with the batch, by name (default: the model's first input). */
  readonly input?: string;
  /** Samples per run (default 32). */
  readonly batchSize?: number;
  /** Providers tried in order (default webgpu, then cpu on onnxruntime-node or wasm on onnxruntime-web). */
  readonly executionProviders?: readonly OnnxExecutionProvider[];
}

export interface OnnxEmbedderContext {
  readonly runtime: OnnxRuntime;
  /** Where the embeddings are returned (uploaded after each transform). */
  readonly device: Device;
}

interface OnnxHeader extends ComponentHeader {
  kind: 'onnx';
  version: 1;
  output: string;
  input: string;
  batchSize: number;
  executionProviders: OnnxExecutionProvider[];
}

const KIND = 'onnx';
const VERSION = 1;
const DEFAULT_BATCH = 32;

/**
 * The providers tried when none are named: the GPU first, then the runtime's CPU provider — the
 * GPU only when the Device runs on WebGPU. A CPU Device means no adapter, or a software one that
 * was refused (lavapipe): ORT's webgpu provider would then run the network on that same software
 * rasteriser, about 9× slower than its CPU provider (a 224² ResNet-18 bundle: 6 m 49 s against 44 s to train).
 */
export function defaultEmbedderProviders(runtime: OnnxRuntime, device: Device): OnnxExecutionProvider[] {
  const cpu = runtime.name === 'onnxruntime-node' ? 'cpu' : 'wasm';
  return device.backend === 'webgpu' ? ['webgpu', cpu] : [cpu];
}

/** Saved or named providers, less the GPU one where the Device is the CPU (see defaultEmbedderProviders). */
function providersForDevice(named: readonly OnnxExecutionProvider[], runtime: OnnxRuntime, device: Device): OnnxExecutionProvider[] {
  if (device.backend === 'webgpu') return [...named];
  const withoutGpu = named.filter((p) => p !== 'webgpu');
  return withoutGpu.length > 0 ? withoutGpu : defaultEmbedderProviders(runtime, device);
}

/**
 * Any ONNX image model as a feature extractor: a batch [n, ...input dims] (f32) runs through the
 * injected ONNX Runtime in runs of `batchSize`, and the named output, flattened per sample, is the
 * embedding [n, F]. `fit` learns nothing (the model is pretrained). Created with `create`, since
 * loading the model is asynchronous.
 */
export class OnnxEmbedder implements FeatureExtractor {
  readonly kind = KIND;
  readonly output: string;
  readonly input: string;
  readonly batchSize: number;
  readonly executionProviders: readonly OnnxExecutionProvider[];
  readonly #model: Uint8Array;
  readonly #session: OnnxSession;
  readonly #device: Device;

  private constructor(model: Uint8Array, session: OnnxSession, settings: { output: string; input: string; batchSize: number; executionProviders: readonly OnnxExecutionProvider[] }, device: Device) {
    this.#model = model;
    this.#session = session;
    this.#device = device;
    this.output = settings.output;
    this.input = settings.input;
    this.batchSize = settings.batchSize;
    this.executionProviders = settings.executionProviders;
  }

  static async create(options: OnnxEmbedderOptions, { runtime, device }: OnnxEmbedderContext): Promise<OnnxEmbedder> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new FeatureError('FEATURE_OPTION_INVALID', `onnx embedder: batchSize ${batchSize} must be a positive integer`);
    const executionProviders = options.executionProviders ? providersForDevice(options.executionProviders, runtime, device) : defaultEmbedderProviders(runtime, device);
    const unknown = executionProviders.find((p) => !ONNX_EXECUTION_PROVIDERS.includes(p));
    if (unknown !== undefined || executionProviders.length === 0) {
      throw new FeatureError('FEATURE_OPTION_INVALID', `onnx embedder: executionProviders [${executionProviders.join(', ')}] must name one or more of ${ONNX_EXECUTION_PROVIDERS.join(', ')}`);
    }
    const session = await runtime.createSession(options.model, { executionProviders });
    const pick = (wanted: string | undefined, names: readonly string[], what: string): string => {
      const name = wanted ?? names[0];
      if (name === undefined || !names.includes(name)) {
        throw new FeatureError('FEATURE_OPTION_INVALID', `onnx embedder: the model has no ${what} named "${String(wanted)}"; its ${what}s: ${names.join(', ') || '(none)'}`);
      }
      return name;
    };
    try {
      const settings = { output: pick(options.output, session.outputNames, 'output'), input: pick(options.input, session.inputNames, 'input'), batchSize, executionProviders };
      return new OnnxEmbedder(options.model, session, settings, device);
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  /** The provider that runs the model (the first of `executionProviders` that could). */
  get executionProvider(): OnnxExecutionProvider {
    return this.#session.executionProvider;
  }

  async fit(): Promise<this> {
    return this;
  }

  async transform(batch: Tensor): Promise<Tensor> {
    if (batch.dtype !== 'f32' || batch.shape.length < 1) throw new ShapeError(`onnx embedder: batch must be f32 [n, ...], got ${batch.dtype} ${formatShape(batch.shape)}`);
    const values = (await this.#device.read(batch)) as Float32Array;
    const n = batch.shape[0]!;
    const sampleShape = batch.shape.slice(1);
    const sampleSize = sizeOf(sampleShape);
    let features = -1;
    let out = new Float32Array(0);
    for (let start = 0; start < n; start += this.batchSize) {
      const count = Math.min(this.batchSize, n - start);
      const feeds = { [this.input]: onnxTensor('float32', [count, ...sampleShape], values.slice(start * sampleSize, (start + count) * sampleSize)) };
      const result = (await this.#session.run(feeds, [this.output]))[this.output];
      if (!result || result.type !== 'float32' || result.dims[0] !== count) {
        throw new FeatureError(
          'FEATURE_OPTION_INVALID',
          `onnx embedder: output "${this.output}" is ${result ? `${result.type} [${result.dims.join(', ')}]` : 'missing'}; it must be float32 with ${count} samples first`,
        );
      }
      const perSample = result.data.length / count;
      if (features < 0) {
        features = perSample;
        out = new Float32Array(n * features);
      } else if (perSample !== features) {
        throw new FeatureError('FEATURE_OPTION_INVALID', `onnx embedder: output "${this.output}" has ${perSample} values per sample in one run and ${features} in another`);
      }
      out.set(result.data, start * features);
    }
    return this.#device.upload(Tensor.cpu('f32', [n, Math.max(features, 0)], out));
  }

  /** Versioned header (output, input, batch size, providers) with the model bytes as body. */
  save(): Uint8Array {
    const header: OnnxHeader = { kind: KIND, version: VERSION, output: this.output, input: this.input, batchSize: this.batchSize, executionProviders: [...this.executionProviders] };
    return encodeComponentState(header, this.#model);
  }

  static async load(bytes: Uint8Array, context: OnnxEmbedderContext): Promise<OnnxEmbedder> {
    const { header, body } = decodeComponentState<OnnxHeader>(bytes, KIND, [VERSION]);
    const { output, input, batchSize, executionProviders } = header;
    if (typeof output !== 'string' || typeof input !== 'string' || !Array.isArray(executionProviders)) {
      throw new FeatureError('FEATURE_STATE_CORRUPT', 'onnx state: output, input or executionProviders is missing');
    }
    return OnnxEmbedder.create({ model: body.slice(), output, input, batchSize, executionProviders }, context);
  }

  /** Frees the ONNX session. */
  release(): Promise<void> {
    return this.#session.release();
  }
}
