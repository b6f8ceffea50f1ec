import type { KernelDef } from '../../kernel.js';
import { l2NormalizeRowsBackwardCpu } from './l2-normalize-rows-backward.cpu.js';
import { l2NormalizeRowsBackwardDims, l2NormalizeRowsBackwardOutputs, type L2NormalizeRowsBackwardInputs } from './l2-normalize-rows-backward.shape.js';
import { l2NormalizeRowsBackwardWgsl } from './l2-normalize-rows-backward.wgsl.js';

/**
 * The gradient of `l2-normalize-rows`: with y = x / ‖x‖ (the forward's output) and its norms,
 *   dx = (dy − y·(y·dy)) / ‖x‖ per row — dy with its component along y removed, over the norm.
 */
export const l2NormalizeRowsBackward: KernelDef<L2NormalizeRowsBackwardInputs, 'dx', unknown> = {
  name: 'l2-normalize-rows-backward',
  description: 'gradient of row L2 normalisation: (dy − y (y·dy)) / norm per row',
  inputs: { y: ['f32'], norm: ['f32'], dy: ['f32'] },
  outputs: l2NormalizeRowsBackwardOutputs,
  cpu: ({ y, norm, dy }, _attrs, { dx }) => {
    const [rows, columns] = l2NormalizeRowsBackwardDims({ y, norm, dy });
    l2NormalizeRowsBackwardCpu(y.data as Float32Array, norm.data as Float32Array, dy.data as Float32Array, rows, columns, dx as Float32Array);
  },
  wgsl: l2NormalizeRowsBackwardWgsl,
  // A row's dot product in f32 (a reduction): lavapipe, 30 seeds of up to 300 × 300 values, worst 3.6e-7.
  tolerance: 1e-5,
};
