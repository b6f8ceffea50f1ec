import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape, sameShape } from '../../shape.js';
import { assertActivation, type KernelActivation } from '../activation/activation-functions.js';

export interface ActivationBackwardAttrs {
  readonly fn: KernelActivation;
}

export function activationBackwardOutputs({ x, dy }: Specs<'x' | 'dy'>, { fn }: ActivationBackwardAttrs): Specs<'dx'> {
  assertActivation('activation-backward', fn);
  if (!sameShape(x.shape, dy.shape)) throw new ShapeError(`kernel "activation-backward": dy ${formatShape(dy.shape)} must have the shape of x ${formatShape(x.shape)}`);
  return { dx: { shape: x.shape, dtype: 'f32' } };
}
