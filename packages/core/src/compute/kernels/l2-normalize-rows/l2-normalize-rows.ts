import type { KernelDef } from '../../kernel.js';
import { l2NormalizeRowsCpu } from './l2-normalize-rows.cpu.js';
import { l2NormalizeRowsOutputs, rowsAndColumns } from './l2-normalize-rows.shape.js';
import { l2NormalizeRowsWgsl } from './l2-normalize-rows.wgsl.js';

/**
 * Each row of x [rows, columns] divided by its Euclidean norm (out = x / max(‖x‖, 1e-12), as
 * PyTorch's F.normalize), and the norms [rows], which the backward reads.
 */
export const l2NormalizeRows: KernelDef<'x', 'out' | 'norm', unknown> = {
  name: 'l2-normalize-rows',
  description: 'rows divided by their L2 norm (eps 1e-12), and the norms',
  inputs: { x: ['f32'] },
  outputs: l2NormalizeRowsOutputs,
  cpu: ({ x }, _attrs, { out, norm }) => {
    const [rows, columns] = rowsAndColumns(x, 'l2-normalize-rows');
    l2NormalizeRowsCpu(x.data as Float32Array, rows, columns, out as Float32Array, norm as Float32Array);
  },
  wgsl: l2NormalizeRowsWgsl,
  // A sum of squares in f32 (a reduction): lavapipe, 30 seeds of up to 300 × 300 values, worst 4.9e-7.
  tolerance: 1e-5,
};
