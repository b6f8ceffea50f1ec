import type { KernelDef } from '../../kernel.js';
import { activationBackwardCpu } from './activation-backward.cpu.js';
import { activationBackwardOutputs, type ActivationBackwardAttrs } from './activation-backward.shape.js';
import { activationBackwardWgsl } from './activation-backward.wgsl.js';

export type { ActivationBackwardAttrs } from './activation-backward.shape.js';

/** dx = f′(x) · dy for the activations of `activation`; ReLU′(0) is taken as 0. */
export const activationBackward: KernelDef<'x' | 'dy', 'dx', ActivationBackwardAttrs> = {
  name: 'activation-backward',
  description: 'gradient of relu or gelu (tanh approximation): dx = f\'(x) * dy',
  inputs: { x: ['f32'], dy: ['f32'] },
  outputs: activationBackwardOutputs,
  cpu: activationBackwardCpu,
  wgsl: activationBackwardWgsl,
  tolerance: 1e-5,
};
