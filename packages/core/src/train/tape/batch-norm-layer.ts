import { batchNormBackward } from '../../compute/kernels/batch-norm-backward/batch-norm-backward.js';
import { batchNorm } from '../../compute/kernels/batch-norm/batch-norm.js';
import type { Device } from '../../compute/device.js';
import { Tensor } from '../../compute/tensor.js';
import { onDevice, parameter, type ForwardContext, type Layer, type Parameter } from './layer.js';

export interface BatchNormLayerOptions {
  /** Default 1e-5. */
  readonly epsilon?: number;
  /** ONNX's convention: running ← running·momentum + batch·(1 − momentum); default 0.9 (PyTorch's 0.1). */
  readonly momentum?: number;
  /** Update the running variance with the unbiased batch variance, as PyTorch (and the CPU CNN trainer) do; default false (ONNX). */
  readonly unbiasedRunningVariance?: boolean;
}

/**
 * Batch normalisation over channels as ONNX BatchNormalization: trainable `<name>.scale` [C]
 * (ones) and `<name>.bias` [C] (zeros); running `<name>.mean` [C] (zeros) and `<name>.var` [C]
 * (ones), kept on the device as one [2, C] tensor and updated by every training forward pass.
 */
export class BatchNormLayer implements Layer {
  readonly name: string;
  readonly scale: Parameter;
  readonly bias: Parameter;
  readonly channels: number;
  readonly epsilon: number;
  readonly momentum: number;
  readonly unbiasedRunningVariance: boolean;
  /** The running statistics' names in the ONNX graph. */
  readonly runningNames: { readonly mean: string; readonly variance: string };
  #running: Tensor;

  constructor(name: string, channels: number, { epsilon = 1e-5, momentum = 0.9, unbiasedRunningVariance = false }: BatchNormLayerOptions = {}) {
    this.name = name;
    this.channels = channels;
    this.epsilon = epsilon;
    this.momentum = momentum;
    this.unbiasedRunningVariance = unbiasedRunningVariance;
    this.runningNames = { mean: `${name}.mean`, variance: `${name}.var` };
    this.scale = parameter(`${name}.scale`, [channels], new Float32Array(channels).fill(1));
    this.bias = parameter(`${name}.bias`, [channels], new Float32Array(channels));
    this.#running = Tensor.cpu('f32', [2, channels], Float32Array.from({ length: 2 * channels }, (_, i) => (i < channels ? 0 : 1)));
  }

  parameters(): readonly Parameter[] {
    return [this.scale, this.bias];
  }

  /** The running mean and variance (ONNX's input_mean and input_var), read from the device. */
  async runningStatistics(device: Device): Promise<{ mean: Float32Array; variance: Float32Array }> {
    const both = (await device.read(this.#running)) as Float32Array;
    return { mean: both.slice(0, this.channels), variance: both.slice(this.channels) };
  }

  setRunningStatistics(mean: Float32Array, variance: Float32Array): void {
    this.#running.dispose();
    this.#running = Tensor.cpu('f32', [2, this.channels], Float32Array.of(...mean, ...variance));
  }

  async forward(ctx: ForwardContext, x: Tensor): Promise<Tensor> {
    const scale = onDevice(ctx, this.scale);
    const bias = onDevice(ctx, this.bias);
    const running = (this.#running = ctx.device.upload(this.#running));
    const attrs = { training: ctx.training, epsilon: this.epsilon, momentum: this.momentum, unbiasedRunningVariance: this.unbiasedRunningVariance };
    const { y, statistics, updatedRunning } = await ctx.device.run(batchNorm, { x, scale, bias, running }, attrs);
    if (ctx.training) {
      running.dispose();
      this.#running = updatedRunning;
    } else updatedRunning.dispose();
    if (!ctx.tape) {
      statistics.dispose();
      return y;
    }
    ctx.tape.record({
      label: `${this.name} (batch-norm)`,
      inputs: [x],
      output: y,
      saved: [x, scale, statistics],
      temporaries: [statistics],
      backward: async (dy, [wantsX], grads) => {
        const { dx, dscale, dbias } = await ctx.device.run(batchNormBackward, { x, dy, scale, statistics }, { training: ctx.training });
        await grads.add(this.scale.name, dscale);
        await grads.add(this.bias.name, dbias);
        if (wantsX) return [dx];
        dx.dispose();
        return [null];
      },
    });
    return y;
  }
}
