import type { KernelDef } from '../../kernel.js';
import { gramCpu } from './gram.cpu.js';
import { gramDims, gramOutputs, type GramAttrs } from './gram.shape.js';
import { gramWgsl } from './gram.wgsl.js';

export type { GramDims } from './gram.shape.js';
export { gramDims } from './gram.shape.js';

/**
 * Centered Gram matrix of the columns of x: (x − 1·cᵀ)ᵀ(x − 1·cᵀ), [rows, cols] → [cols, cols].
 * With c the column means it is rows × the covariance: the first step of a PCA fit. Tiled in
 * workgroup memory on the GPU, computing only the upper triangle; callers feed large x in row
 * chunks and add the results.
 */
export const gram: KernelDef<'x' | 'center', 'out', GramAttrs> = {
  name: 'gram',
  description: 'centered Gram matrix (x − c)ᵀ(x − c) of the columns of x, [rows, cols] → [cols, cols]',
  inputs: { x: ['f32'], center: ['f32'] },
  outputs: gramOutputs,
  cpu: (inputs, _attrs, { out }) => gramCpu(inputs.x.data, inputs.center.data, out as Float32Array, gramDims(inputs)),
  wgsl: gramWgsl,
  tolerance: 1e-3,
};
