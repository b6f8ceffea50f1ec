import type { KernelDef } from '../../kernel.js';
import { activationCpu } from './activation.cpu.js';
import { activationOutputs, type ActivationAttrs } from './activation.shape.js';
import { activationWgsl } from './activation.wgsl.js';

export type { ActivationFunction, KernelActivation } from './activation-functions.js';
export type { ActivationAttrs } from './activation.shape.js';

/** Element-wise ReLU, GELU (tanh approximation) or sigmoid: the non-linearity of the MLP head and of imported backbones. */
export const activation: KernelDef<'x', 'out', ActivationAttrs> = {
  name: 'activation',
  description: 'element-wise relu, gelu (tanh approximation) or sigmoid',
  inputs: { x: ['f32'] },
  outputs: activationOutputs,
  cpu: activationCpu,
  wgsl: activationWgsl,
  tolerance: 1e-5,
};
