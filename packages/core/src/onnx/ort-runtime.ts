import type * as OrtCommon from 'onnxruntime-common';
import { OnnxError } from '../errors.js';
import { isOnnxElementType, zerosTensor, type OnnxTensor } from './onnx-tensor.js';
import {
  ONNX_EXECUTION_PROVIDERS,
  type CreateSessionOptions,
  type OnnxExecutionProvider,
  type OnnxRunOptions,
  type OnnxRuntime,
  type OnnxSession,
} from './session.js';

/**
 * What this adapter uses of an ONNX Runtime JS package. onnxruntime-node and onnxruntime-web both
 * re-export this onnxruntime-common API, so one implementation serves both; the module itself is
 * passed in, keeping core free of either package at run time.
 */
export type OrtModule = Pick<typeof OrtCommon, 'InferenceSession' | 'Tensor' | 'env'>;

type OrtSession = OrtCommon.InferenceSession;

/** ORT messages that mean the model bytes themselves are bad, whichever provider reads them. */
const LOAD_FAILURE = /protobuf parsing failed|invalid model|failed to load model|model data pointer is null|INVALID_PROTOBUF|INVALID_GRAPH|No Op registered|Type Error|ShapeInferenceError|TypeInferenceError/i;

/**
 * Runs one task at a time. onnxruntime-web refuses a second run on a session while one is in
 * flight ("Session already started"), and concurrent runs of two sessions on the native webgpu
 * provider are not safe (onnxruntime#32561); onnxruntime-node 1.30 runs synchronously anyway.
 */
class RunQueue {
  #tail: Promise<unknown> = Promise.resolve();

  enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

export function createOrtRuntime(ort: OrtModule, name: OnnxRuntime['name']): OnnxRuntime {
  const versionKey = name === 'onnxruntime-node' ? 'node' : 'web';
  const queue = new RunQueue();
  return {
    name,
    version: ort.env.versions[versionKey] ?? ort.env.versions.common,
    createSession: (model, options) => createSession(ort, name, queue, model, options),
  };
}

async function createSession(ort: OrtModule, runtime: string, queue: RunQueue, model: Uint8Array, options: CreateSessionOptions): Promise<OnnxSession> {
  const providers = options.executionProviders;
  if (providers.length === 0) {
    throw new OnnxError('ONNX_EP_UNAVAILABLE', `${runtime}: executionProviders is empty; valid providers: ${ONNX_EXECUTION_PROVIDERS.join(', ')}`);
  }
  const failures: string[] = [];
  for (const provider of providers) {
    if (!ONNX_EXECUTION_PROVIDERS.includes(provider)) {
      throw new OnnxError('ONNX_EP_UNAVAILABLE', `${runtime}: unknown execution provider "${provider}"; valid providers: ${ONNX_EXECUTION_PROVIDERS.join(', ')}`);
    }
    let ortSession: OrtSession;
    try {
      ortSession = await ort.InferenceSession.create(model, sessionOptions(provider, options));
    } catch (cause) {
      const message = errorMessage(cause);
      if (LOAD_FAILURE.test(message)) {
        throw new OnnxError('ONNX_LOAD_FAILED', `${runtime} could not load the model (${model.byteLength} bytes): ${message}`, { cause });
      }
      failures.push(`${provider}: ${message}`);
      continue;
    }
    const session = new OrtOnnxSession(ort, queue, ortSession, provider);
    // A GPU provider compiles its shaders on the first run and can fail only then: run once on
    // zeros so a provider that cannot really run the model falls through to the next one.
    if (provider === 'webgpu') {
      try {
        await warmUp(session, ortSession);
      } catch (cause) {
        await session.release();
        failures.push(`${provider}: warm-up run failed: ${errorMessage(cause)}`);
        continue;
      }
    }
    return session;
  }
  throw new OnnxError('ONNX_EP_UNAVAILABLE', `${runtime}: no execution provider of [${providers.join(', ')}] can run the model: ${failures.join('; ')}`);
}

function sessionOptions(provider: OnnxExecutionProvider, options: CreateSessionOptions): OrtCommon.InferenceSession.SessionOptions {
  const { intraOpNumThreads, allowSpinning } = options;
  // Without this, ORT quietly runs the nodes a GPU provider cannot take on the CPU, and the
  // provider we report would be a lie. (On the CPU provider itself the flag is an error.)
  const strict = provider === 'webgpu';
  const session: Record<string, string> = {
    ...(strict && { disable_cpu_ep_fallback: '1' }),
    ...(allowSpinning === false && { 'intra_op.allow_spinning': '0' }),
  };
  return {
    executionProviders: [provider],
    // Failures reach the caller as OnnxErrors carrying ORT's message; ORT's own log would print them again.
    logSeverityLevel: 4,
    ...(intraOpNumThreads === undefined ? {} : { intraOpNumThreads }),
    ...(Object.keys(session).length > 0 ? { extra: { session } } : {}),
  };
}

/** Zero inputs from the model's declared shapes (symbolic dimensions as 1); skipped where a shape is not declared. */
async function warmUp(session: OnnxSession, ortSession: OrtSession): Promise<void> {
  const feeds: Record<string, OnnxTensor> = {};
  for (const input of ortSession.inputMetadata) {
    if (!input.isTensor || !isOnnxElementType(input.type) || input.shape.length === 0) return;
    feeds[input.name] = zerosTensor(input.type, input.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : 1)));
  }
  await session.run(feeds);
}

class OrtOnnxSession implements OnnxSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly executionProvider: OnnxExecutionProvider;
  readonly #ort: OrtModule;
  readonly #queue: RunQueue;
  #session: OrtSession | null;

  constructor(ort: OrtModule, queue: RunQueue, session: OrtSession, executionProvider: OnnxExecutionProvider) {
    this.#ort = ort;
    this.#queue = queue;
    this.#session = session;
    this.inputNames = [...session.inputNames];
    this.outputNames = [...session.outputNames];
    this.executionProvider = executionProvider;
  }

  run(feeds: Record<string, OnnxTensor>, outputNames?: readonly string[], options?: OnnxRunOptions): Promise<Record<string, OnnxTensor>> {
    return this.#queue.enqueue(async () => {
      try {
        return await this.#run(feeds, outputNames);
      } finally {
        // The run is over: onnxruntime reads the feeds no more.
        for (const { data } of Object.values(feeds)) options?.feedPool?.give(data);
      }
    });
  }

  async #run(feeds: Record<string, OnnxTensor>, outputNames?: readonly string[]): Promise<Record<string, OnnxTensor>> {
    const session = this.#session;
    if (!session) throw new OnnxError('ONNX_RUN_FAILED', 'the ONNX session was released; create a new one to run the model');
    let results: OrtCommon.InferenceSession.ReturnType;
    try {
      const ortFeeds: Record<string, OrtCommon.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new this.#ort.Tensor(t.type, t.data, t.dims);
      results = outputNames ? await session.run(ortFeeds, outputNames) : await session.run(ortFeeds);
    } catch (cause) {
      throw new OnnxError('ONNX_RUN_FAILED', `ONNX run on ${this.executionProvider} failed (inputs ${describeFeeds(feeds)}): ${errorMessage(cause)}`, { cause });
    }
    const outputs: Record<string, OnnxTensor> = {};
    for (const [name, value] of Object.entries(results)) {
      const tensor = value as OrtCommon.Tensor;
      if (!isOnnxElementType(tensor.type)) {
        throw new OnnxError('ONNX_RUN_FAILED', `output "${name}" has element type ${tensor.type}, which CV Factory does not read`);
      }
      outputs[name] = { type: tensor.type, dims: [...tensor.dims], data: tensor.data } as OnnxTensor;
    }
    return outputs;
  }

  /** Queued behind runs in flight, so native memory is never freed under a running model. */
  release(): Promise<void> {
    return this.#queue.enqueue(async () => {
      const session = this.#session;
      this.#session = null;
      await session?.release();
    });
  }
}

function describeFeeds(feeds: Record<string, OnnxTensor>): string {
  return Object.entries(feeds).map(([name, t]) => `${name}: ${t.type}[${t.dims.join(', ')}]`).join(', ') || '(none)';
}

function errorMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).trim();
}
