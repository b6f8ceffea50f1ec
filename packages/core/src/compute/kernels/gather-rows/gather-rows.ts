import type { KernelDef } from '../../kernel.js';
import { gatherRowsCpu } from './gather-rows.cpu.js';
import { gatherRowsOutputs, type GatherRowsAttrs } from './gather-rows.shape.js';
import { gatherRowsWgsl } from './gather-rows.wgsl.js';

/**
 * out[b] = x[indices[b]]: picks rows (the first axis) by index, e.g. a shuffled mini-batch from
 * a dataset that stays on the device. An index outside [0, rows) gives a row of zeros.
 */
export const gatherRows: KernelDef<'x' | 'indices', 'out', GatherRowsAttrs> = {
  name: 'gather-rows',
  description: 'rows of x (first axis) picked by an index vector; out-of-range indices give zeros',
  inputs: { x: ['f32', 'i32'], indices: ['i32'] },
  outputs: gatherRowsOutputs,
  cpu: gatherRowsCpu,
  wgsl: gatherRowsWgsl,
  tolerance: 0,
};
