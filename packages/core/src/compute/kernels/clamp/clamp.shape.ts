import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';

export interface ClampAttrs {
  /** Lower bound; -Infinity for none. ReLU is { min: 0, max: Infinity }. */
  readonly min: number;
  readonly max: number;
}

export function clampOutputs({ x }: Specs<'x'>, { min, max }: ClampAttrs): Specs<'out'> {
  if (!(min <= max)) throw new ShapeError(`kernel "clamp": min ${min} must not exceed max ${max}`);
  return { out: { shape: x.shape, dtype: 'f32' } };
}

const F32_MAX = 3.4028234663852886e38;

/** WGSL may assume no infinities at run time, so open bounds are passed as the largest finite f32. */
export function finiteBound(value: number): number {
  return Math.max(-F32_MAX, Math.min(F32_MAX, value));
}
