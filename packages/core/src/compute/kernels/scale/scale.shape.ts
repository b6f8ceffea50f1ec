import type { Specs } from '../../kernel.js';

export interface ScaleAttrs {
  /** Multiplier. */
  readonly alpha: number;
  /** Added after the multiplication (default 0). */
  readonly beta?: number;
}

/** Any shape: the output is f32 of the input's shape. */
export function scaleOutputs({ x }: Specs<'x'>): Specs<'out'> {
  return { out: { shape: x.shape, dtype: 'f32' } };
}
