import type { Specs, TensorSpec } from '../../kernel.js';
import { resolveAxis, splitAroundAxis } from '../../shape.js';

export interface SoftmaxAttrs {
  /** Axis the probabilities sum to 1 along (default −1, the last). */
  readonly axis?: number;
}

/** x viewed as [outer, size, inner] around the softmax axis. */
export function softmaxGeometry(x: TensorSpec, { axis = -1 }: SoftmaxAttrs) {
  return splitAroundAxis(x.shape, resolveAxis(axis, x.shape.length, 'kernel "softmax"'));
}

export function softmaxOutputs({ x }: Specs<'x'>, attrs: SoftmaxAttrs): Specs<'out'> {
  softmaxGeometry(x, attrs);
  return { out: { shape: x.shape, dtype: 'f32' } };
}
