import type { KernelDef } from '../../kernel.js';
import { siftDogCpu } from './sift-dog.cpu.js';
import { siftDogOutputs } from './sift-dog.shape.js';
import { siftDogWgsl } from './sift-dog.wgsl.js';

/**
 * One difference-of-Gaussians level: the next blur level minus this one, any shape → f32 of the
 * same shape. SIFT's detector looks for extrema of these across space and scale.
 */
export const siftDog: KernelDef<'upper' | 'lower', 'out', Record<string, never>> = {
  name: 'sift-dog',
  description: 'difference of two Gaussian scale-space levels (upper − lower)',
  inputs: { upper: ['f32'], lower: ['f32'] },
  outputs: siftDogOutputs,
  cpu: ({ upper, lower }, _attrs, { out }) => siftDogCpu(upper.data, lower.data, out as Float32Array),
  wgsl: siftDogWgsl,
  // One f32 subtraction of f32 inputs on both backends: exact.
  tolerance: 0,
};
