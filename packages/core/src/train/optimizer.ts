import type { Device } from '../compute/device.js';
import { adamUpdate } from '../compute/kernels/adam-update/adam-update.js';
import { sgdUpdate } from '../compute/kernels/sgd-update/sgd-update.js';
import { squaredNorm } from '../compute/kernels/squared-norm/squared-norm.js';
import { Tensor } from '../compute/tensor.js';
import { TrainError } from '../errors.js';

export type OptimizerKind = 'sgd' | 'adam' | 'adamw';
export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ['sgd', 'adam', 'adamw'];

export interface OptimizerOptions {
  readonly kind: OptimizerKind;
  /** Peak learning rate (the schedule scales it per step). */
  readonly lr: number;
  /** sgd: momentum (default 0.9). */
  readonly momentum?: number;
  /** L2 penalty (sgd, adam) or decoupled weight decay (adamw); applied to weights, not biases (default 0). */
  readonly weightDecay?: number;
  /** adam/adamw: [β₁, β₂] (default [0.9, 0.999]). */
  readonly betas?: readonly [number, number];
  /** adam/adamw: ε (default 1e-8). */
  readonly epsilon?: number;
}

export function validateOptimizer(options: OptimizerOptions): void {
  const bad = (message: string) => new TrainError('TRAIN_INVALID_OPTIONS', message);
  if (!OPTIMIZER_KINDS.includes(options.kind)) throw bad(`optimizer "${options.kind}" is not one of ${OPTIMIZER_KINDS.join(', ')}`);
  if (!(options.lr > 0) || !Number.isFinite(options.lr)) throw bad(`optimizer lr ${options.lr} must be a positive number`);
  const momentum = options.momentum ?? 0.9;
  if (!(momentum >= 0 && momentum < 1)) throw bad(`optimizer momentum ${momentum} must be in [0, 1)`);
  if (!((options.weightDecay ?? 0) >= 0)) throw bad(`optimizer weightDecay ${options.weightDecay} must be ≥ 0`);
  for (const beta of options.betas ?? []) if (!(beta >= 0 && beta < 1)) throw bad(`optimizer betas [${options.betas!.join(', ')}] must be in [0, 1)`);
}

/**
 * Optimizer state that lives on the device beside the parameters: a velocity per parameter
 * (SGD) or first and second moments (Adam/AdamW), and the step count for bias correction.
 * Each `step` replaces the parameter and state tensors with the kernels' outputs and frees the
 * old ones, so nothing is read back.
 */
export class Optimizer {
  readonly options: OptimizerOptions;
  /** Per parameter: [velocity] for sgd, [m, v] for adam/adamw. */
  state: Tensor[][];
  /** Optimizer steps taken so far. */
  steps: number;
  readonly #device: Device;
  #zero: Tensor | null = null;

  constructor(device: Device, options: OptimizerOptions, state: Tensor[][], steps: number) {
    validateOptimizer(options);
    this.#device = device;
    this.options = options;
    this.state = state;
    this.steps = steps;
  }

  /** Number of state tensors per parameter. */
  static slots(kind: OptimizerKind): number {
    return kind === 'sgd' ? 1 : 2;
  }

  /** Fresh state: zeros shaped like each parameter. */
  static create(device: Device, options: OptimizerOptions, parameters: readonly Tensor[]): Optimizer {
    const state = parameters.map((p) => Array.from({ length: Optimizer.slots(options.kind) }, () => device.upload(Tensor.cpu('f32', p.shape))));
    return new Optimizer(device, options, state, 0);
  }

  /**
   * One update of every parameter. `decay[i]` says whether weight decay applies to parameter i;
   * `maxNorm` > 0 clips the gradients' global norm (measured on the device). Returns the new
   * parameters; the given ones are disposed.
   */
  async step(parameters: readonly Tensor[], gradients: readonly Tensor[], { lr, maxNorm = 0, decay }: { lr: number; maxNorm?: number; decay: readonly boolean[] }): Promise<Tensor[]> {
    const device = this.#device;
    const norm = maxNorm > 0 ? await this.#squaredNorm(gradients) : this.#zeroNorm();
    this.steps++;
    const { kind, momentum = 0.9, weightDecay = 0, betas = [0.9, 0.999], epsilon = 1e-8 } = this.options;
    const updated: Tensor[] = [];
    for (let i = 0; i < parameters.length; i++) {
      const param = parameters[i]!;
      const grad = gradients[i]!;
      const slots = this.state[i]!;
      const wd = decay[i] ? weightDecay : 0;
      if (kind === 'sgd') {
        const out = await device.run(sgdUpdate, { param, grad, velocity: slots[0]!, squaredNorm: norm }, { lr, momentum, weightDecay: wd, maxNorm });
        slots[0]!.dispose();
        this.state[i] = [out.newVelocity];
        updated.push(out.newParam);
      } else {
        const attrs = { lr, beta1: betas[0], beta2: betas[1], epsilon, weightDecay: wd, decoupled: kind === 'adamw', step: this.steps, maxNorm };
        const out = await device.run(adamUpdate, { param, grad, m: slots[0]!, v: slots[1]!, squaredNorm: norm }, attrs);
        slots[0]!.dispose();
        slots[1]!.dispose();
        this.state[i] = [out.newM, out.newV];
        updated.push(out.newParam);
      }
      param.dispose();
    }
    if (norm !== this.#zero) norm.dispose();
    return updated;
  }

  dispose(): void {
    for (const slots of this.state) for (const t of slots) t.dispose();
    this.#zero?.dispose();
    this.#zero = null;
  }

  /** Σ‖g‖² over all gradients, chained through `squared-norm` so it stays a [1] tensor on the device. */
  async #squaredNorm(gradients: readonly Tensor[]): Promise<Tensor> {
    let total = this.#zeroNorm();
    for (const grad of gradients) {
      const { out } = await this.#device.run(squaredNorm, { x: grad, acc: total }, {});
      if (total !== this.#zero) total.dispose();
      total = out;
    }
    return total;
  }

  #zeroNorm(): Tensor {
    this.#zero ??= this.#device.upload(Tensor.cpu('f32', [1]));
    return this.#zero;
  }
}
