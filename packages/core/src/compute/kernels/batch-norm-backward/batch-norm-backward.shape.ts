import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { assertChannelPair, assertPerChannel, channelGeometry } from '../../kernels-shared/per-channel.js';
import { formatShape, sameShape } from '../../shape.js';

export interface BatchNormBackwardAttrs {
  /** Whether the forward pass normalised with the batch's statistics (they then depend on x). */
  readonly training: boolean;
}

/** `statistics` is batch-norm's [2, C] output: the mean and 1/σ the forward normalised with. */
export type BatchNormBackwardInputs = 'x' | 'dy' | 'scale' | 'statistics';

export function batchNormBackwardOutputs(inputs: Specs<BatchNormBackwardInputs>, { training }: BatchNormBackwardAttrs): Specs<'dx' | 'dscale' | 'dbias'> {
  const kernel = 'batch-norm-backward';
  if (typeof training !== 'boolean') throw new ShapeError(`kernel "${kernel}": training ${String(training)} must be true or false`);
  const { channels } = channelGeometry(kernel, inputs.x);
  if (!sameShape(inputs.dy.shape, inputs.x.shape)) throw new ShapeError(`kernel "${kernel}": dy ${formatShape(inputs.dy.shape)} must have the shape of x ${formatShape(inputs.x.shape)}`);
  assertPerChannel(kernel, 'scale', inputs.scale, channels);
  assertChannelPair(kernel, 'statistics', inputs.statistics, channels);
  return { dx: { shape: inputs.x.shape, dtype: 'f32' }, dscale: { shape: [channels], dtype: 'f32' }, dbias: { shape: [channels], dtype: 'f32' } };
}
