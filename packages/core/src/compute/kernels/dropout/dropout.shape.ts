import type { Specs } from '../../kernel.js';
import { dropThreshold } from './dropout-mask.js';

export interface DropoutAttrs {
  /** Probability of dropping an element, in [0, 1). */
  readonly p: number;
  /** Mask seed (a 32-bit unsigned integer); the same seed gives the same mask on every backend. */
  readonly seed: number;
}

export function dropoutOutputs({ x }: Specs<'x'>, { p }: DropoutAttrs): Specs<'out'> {
  dropThreshold(p);
  return { out: { shape: x.shape, dtype: 'f32' } };
}
