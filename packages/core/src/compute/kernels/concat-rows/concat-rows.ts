import type { KernelDef } from '../../kernel.js';
import { concatRowsCpu } from './concat-rows.cpu.js';
import { concatRowsOutputs } from './concat-rows.shape.js';
import { concatRowsWgsl } from './concat-rows.wgsl.js';

/**
 * [a; b]: the rows (first axis) of a, then those of b, e.g. two batches of preprocessed images
 * joined on the device without a read-back.
 */
export const concatRows: KernelDef<'a' | 'b', 'out', Record<string, never>> = {
  name: 'concat-rows',
  description: 'the rows (first axis) of a followed by those of b: [na, ...] + [nb, ...] → [na + nb, ...]',
  inputs: { a: ['f32', 'i32'], b: ['f32', 'i32'] },
  outputs: concatRowsOutputs,
  cpu: ({ a, b }, _attrs, { out }) => concatRowsCpu(a.data, b.data, out),
  wgsl: concatRowsWgsl,
  // A copy: the same values on every backend.
  tolerance: 0,
};
