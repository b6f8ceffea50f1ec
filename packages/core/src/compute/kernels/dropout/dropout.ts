import type { KernelDef } from '../../kernel.js';
import { dropoutCpu } from './dropout.cpu.js';
import { dropoutOutputs, type DropoutAttrs } from './dropout.shape.js';
import { dropoutWgsl } from './dropout.wgsl.js';

export type { DropoutAttrs } from './dropout.shape.js';

/**
 * Inverted dropout: out = x / (1 − p) where the seeded mask keeps the element, 0 elsewhere.
 * Its own backward: applied to dy with the same seed and p it gives dx.
 */
export const dropout: KernelDef<'x', 'out', DropoutAttrs> = {
  name: 'dropout',
  description: 'inverted dropout with a seeded, index-hashed mask (also its own backward)',
  inputs: { x: ['f32'] },
  outputs: dropoutOutputs,
  cpu: dropoutCpu,
  wgsl: dropoutWgsl,
  tolerance: 1e-6,
};
