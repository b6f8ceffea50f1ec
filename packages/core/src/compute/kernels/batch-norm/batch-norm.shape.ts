import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { assertChannelPair, assertPerChannel, channelGeometry } from '../../kernels-shared/per-channel.js';

export interface BatchNormAttrs {
  /** Normalise with the batch's statistics and update the running ones (ONNX training_mode 1), or with the running ones. */
  readonly training: boolean;
  /** Added to the variance (default 1e-5, ONNX's). */
  readonly epsilon?: number;
  /** running ← running·momentum + batch·(1 − momentum) (default 0.9, ONNX's; PyTorch's 0.1 is 1 − this). */
  readonly momentum?: number;
  /**
   * Update the running variance with the unbiased batch variance (× n/(n − 1)), as PyTorch does,
   * instead of the population variance the batch is normalised with (ONNX's reference; default false).
   */
  readonly unbiasedRunningVariance?: boolean;
}

// Running and used statistics travel as [2, C] pairs (means row 0, variances or 1/σ row 1):
// five per-channel tensors apart would pass the 8 storage buffers a WebGPU shader stage may bind.
export type BatchNormInputs = 'x' | 'scale' | 'bias' | 'running';
export type BatchNormOutputs = 'y' | 'statistics' | 'updatedRunning';

export function batchNormSettings(kernel: string, { epsilon = 1e-5, momentum = 0.9, training }: BatchNormAttrs): { epsilon: number; momentum: number } {
  if (typeof training !== 'boolean') throw new ShapeError(`kernel "${kernel}": training ${String(training)} must be true or false`);
  if (!(epsilon >= 0)) throw new ShapeError(`kernel "${kernel}": epsilon ${epsilon} must be ≥ 0`);
  if (!(momentum >= 0 && momentum <= 1)) throw new ShapeError(`kernel "${kernel}": momentum ${momentum} must be in [0, 1]`);
  return { epsilon, momentum };
}

export function batchNormOutputs(inputs: Specs<BatchNormInputs>, attrs: BatchNormAttrs): Specs<BatchNormOutputs> {
  batchNormSettings('batch-norm', attrs);
  const { channels } = channelGeometry('batch-norm', inputs.x);
  for (const name of ['scale', 'bias'] as const) assertPerChannel('batch-norm', name, inputs[name], channels);
  assertChannelPair('batch-norm', 'running', inputs.running, channels);
  const pair = { shape: [2, channels], dtype: 'f32' as const };
  return { y: { shape: inputs.x.shape, dtype: 'f32' }, statistics: pair, updatedRunning: pair };
}
