import type { Specs } from '../../kernel.js';
import { assertActivation, type KernelActivation } from './activation-functions.js';

export interface ActivationAttrs {
  readonly fn: KernelActivation;
}

export function activationOutputs({ x }: Specs<'x'>, { fn }: ActivationAttrs): Specs<'out'> {
  assertActivation('activation', fn);
  return { out: { shape: x.shape, dtype: 'f32' } };
}
