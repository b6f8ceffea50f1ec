import type { KernelDef } from '../../kernel.js';
import { sgdUpdateCpu } from './sgd-update.cpu.js';
import { sgdUpdateOutputs, type SgdUpdateAttrs, type SgdUpdateInputs } from './sgd-update.shape.js';
import { sgdUpdateWgsl } from './sgd-update.wgsl.js';

export type { SgdUpdateAttrs } from './sgd-update.shape.js';

/**
 * One SGD step with momentum (PyTorch's form, no dampening), reading the gradient-clipping norm
 * from the device:  g = c·∇ + λ·θ,  v ← μ·v + g,  θ ← θ − lr·v.
 */
export const sgdUpdate: KernelDef<SgdUpdateInputs, 'newParam' | 'newVelocity', SgdUpdateAttrs> = {
  name: 'sgd-update',
  description: 'SGD with momentum and L2 weight decay, gradients clipped by a global norm held on the device',
  inputs: { param: ['f32'], grad: ['f32'], velocity: ['f32'], squaredNorm: ['f32'] },
  outputs: sgdUpdateOutputs,
  cpu: sgdUpdateCpu,
  wgsl: sgdUpdateWgsl,
  tolerance: 1e-5,
};
