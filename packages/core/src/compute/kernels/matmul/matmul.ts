import type { KernelDef } from '../../kernel.js';
import { matmulCpu } from './matmul.cpu.js';
import { matmulDims, matmulOutputs, type MatmulAttrs } from './matmul.shape.js';
import { matmulWgsl } from './matmul.wgsl.js';

export type { MatmulAttrs, MatmulDims } from './matmul.shape.js';
export { matmulDims } from './matmul.shape.js';

/** Batched matrix product out = op(a) · op(b), f32, tiled in workgroup memory on the GPU. */
export const matmul: KernelDef<'a' | 'b', 'out', MatmulAttrs> = {
  name: 'matmul',
  description: 'batched matrix product with optional transposes, [..., M, K] · [..., K, N] → [..., M, N]',
  inputs: { a: ['f32'], b: ['f32'] },
  outputs: matmulOutputs,
  cpu: (inputs, attrs, { out }) => matmulCpu(inputs.a.data, inputs.b.data, out as Float32Array, matmulDims(inputs, attrs), attrs),
  wgsl: matmulWgsl,
  tolerance: 1e-3,
};
