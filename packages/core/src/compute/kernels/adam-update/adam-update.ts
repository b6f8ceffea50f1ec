import type { KernelDef } from '../../kernel.js';
import { adamUpdateCpu } from './adam-update.cpu.js';
import { adamUpdateOutputs, type AdamUpdateAttrs, type AdamUpdateInputs, type AdamUpdateOutputs } from './adam-update.shape.js';
import { adamUpdateWgsl } from './adam-update.wgsl.js';

export type { AdamUpdateAttrs } from './adam-update.shape.js';

/**
 * One Adam / AdamW step with bias correction (PyTorch's formulation):
 *   g = c·∇ (+ λ·θ for Adam),  m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,
 *   θ ← θ·(1 − lr·λ) for AdamW,  θ ← θ − lr·(m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε).
 */
export const adamUpdate: KernelDef<AdamUpdateInputs, AdamUpdateOutputs, AdamUpdateAttrs> = {
  name: 'adam-update',
  description: 'Adam/AdamW step with bias correction, gradients clipped by a global norm held on the device',
  inputs: { param: ['f32'], grad: ['f32'], m: ['f32'], v: ['f32'], squaredNorm: ['f32'] },
  outputs: adamUpdateOutputs,
  cpu: adamUpdateCpu,
  wgsl: adamUpdateWgsl,
  tolerance: 1e-5,
};
