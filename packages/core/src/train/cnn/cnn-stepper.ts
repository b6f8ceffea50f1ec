import type { Device } from '../../compute/device.js';
import { Tensor } from '../../compute/tensor.js';
import type { OnnxRuntime } from '../../onnx/session.js';
import { cnnLayout, type CnnLayout, type CnnValues } from './cnn-parameters.js';
import { CnnEvalSession, CnnStepSession, type CnnBatch, type CnnSessionOptions } from './cnn-sessions.js';
import type { CnnSpec } from './cnn-spec.js';

export interface CnnStepGradients {
  /** dL/dθ in the layout's parameter order, on the stepper's device; the caller disposes them. */
  readonly gradients: Tensor[];
  /** Each row's share of the batch loss. */
  readonly rowLosses: Float32Array;
}

/**
 * Where the CNN trainer's forward and backward passes run, with the parameters (layout order) on
 * `device`, where the optimizer updates them: ONNX Runtime graphs on the CPU (`OrtCnnStepper`) or
 * the tape's kernels on a WebGPU device (`TapeCnnStepper`). The stepper keeps the BN running
 * statistics, which every training step updates.
 */
export interface CnnStepper {
  readonly device: Device;
  /** Takes the network's values (parameters and running statistics); returns the parameters on the device. */
  load(values: CnnValues): Tensor[];
  /** One training step's gradients on `batch` (BN on batch statistics, which update the running ones). */
  step(parameters: readonly Tensor[], batch: CnnBatch, classWeights: Float32Array, scale: number): Promise<CnnStepGradients>;
  /** Inference logits [rows, classes] (BN on the running statistics) of images [rows, C, H, W]. */
  logits(parameters: readonly Tensor[], images: Float32Array): Promise<Float32Array>;
  /** The parameters and running statistics by layout name, copied to the host. */
  values(parameters: readonly Tensor[]): Promise<Map<string, Float32Array>>;
  release(): Promise<void>;
}

/** The CPU stepper: per step ONE ONNX Runtime run of the step graph (cnn-graph.ts), values fed from host tensors. */
export class OrtCnnStepper implements CnnStepper {
  readonly device: Device;
  readonly #runtime: OnnxRuntime;
  readonly #spec: CnnSpec;
  readonly #layout: CnnLayout;
  readonly #session: CnnStepSession;
  readonly #options: CnnSessionOptions;
  #evaluator: CnnEvalSession | null = null;
  #running = new Map<string, Float32Array>();

  private constructor(device: Device, runtime: OnnxRuntime, spec: CnnSpec, session: CnnStepSession, options: CnnSessionOptions) {
    this.device = device;
    this.#runtime = runtime;
    this.#spec = spec;
    this.#layout = cnnLayout(spec);
    this.#session = session;
    this.#options = options;
  }

  static async create(device: Device, runtime: OnnxRuntime, spec: CnnSpec, labelSmoothing: number, options: CnnSessionOptions = {}): Promise<OrtCnnStepper> {
    return new OrtCnnStepper(device, runtime, spec, await CnnStepSession.create(runtime, spec, labelSmoothing, options), options);
  }

  load(values: CnnValues): Tensor[] {
    this.#running = new Map(this.#layout.buffers.map(({ name }) => [name, values.get(name)!.slice()]));
    return this.#layout.parameters.map(({ name, shape }) => Tensor.cpu('f32', shape, values.get(name)!.slice()));
  }

  async step(parameters: readonly Tensor[], batch: CnnBatch, classWeights: Float32Array, scale: number): Promise<CnnStepGradients> {
    const result = await this.#session.run(this.#values(parameters), batch, classWeights, scale);
    this.#running = result.running;
    return { gradients: this.#layout.parameters.map(({ name, shape }) => Tensor.cpu('f32', shape, result.gradients.get(name)!)), rowLosses: result.rowLosses };
  }

  async logits(parameters: readonly Tensor[], images: Float32Array): Promise<Float32Array> {
    this.#evaluator ??= await CnnEvalSession.create(this.#runtime, this.#spec, this.#options);
    return (await this.#evaluator.forward(this.#values(parameters), images)).logits;
  }

  async values(parameters: readonly Tensor[]): Promise<Map<string, Float32Array>> {
    return new Map([...this.#values(parameters)].map(([name, data]) => [name, data.slice()]));
  }

  async release(): Promise<void> {
    await this.#session.release();
    await this.#evaluator?.release();
  }

  #values(parameters: readonly Tensor[]): Map<string, Float32Array> {
    const values = new Map(this.#running);
    this.#layout.parameters.forEach(({ name }, i) => values.set(name, parameters[i]!.data as Float32Array));
    return values;
  }
}
