import type { KernelDef } from '../../kernel.js';
import { softmaxCpu } from './softmax.cpu.js';
import { softmaxOutputs, type SoftmaxAttrs } from './softmax.shape.js';
import { softmaxWgsl } from './softmax.wgsl.js';

export type { SoftmaxAttrs } from './softmax.shape.js';

/** Numerically stable softmax: the row maximum is subtracted before exponentiating. */
export const softmax: KernelDef<'x', 'out', SoftmaxAttrs> = {
  name: 'softmax',
  description: 'softmax along one axis (max-subtracted)',
  inputs: { x: ['f32'] },
  outputs: softmaxOutputs,
  cpu: softmaxCpu,
  wgsl: softmaxWgsl,
  tolerance: 1e-5,
};
