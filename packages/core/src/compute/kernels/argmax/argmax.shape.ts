import { ShapeError } from '../../../errors.js';
import type { Specs, TensorSpec } from '../../kernel.js';
import { resolveAxis, splitAroundAxis } from '../../shape.js';

export interface ArgmaxAttrs {
  /** Default −1, the last axis. */
  readonly axis?: number;
  readonly keepDims?: boolean;
}

/** x viewed as [outer, size, inner] around the reduced axis. */
export function argmaxGeometry(x: TensorSpec, { axis = -1 }: ArgmaxAttrs) {
  const resolved = resolveAxis(axis, x.shape.length, 'kernel "argmax"');
  return { ...splitAroundAxis(x.shape, resolved), axis: resolved };
}

export function argmaxOutputs({ x }: Specs<'x'>, attrs: ArgmaxAttrs): Specs<'out'> {
  const { axis, size } = argmaxGeometry(x, attrs);
  if (size === 0) throw new ShapeError('kernel "argmax": the reduced axis is empty');
  const shape = attrs.keepDims ? x.shape.map((d, k) => (k === axis ? 1 : d)) : x.shape.filter((_, k) => k !== axis);
  return { out: { shape, dtype: 'i32' } };
}
