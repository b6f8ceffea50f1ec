import type { KernelDef } from '../../kernel.js';
import { concatRowsCpu } from './concat-rows.cpu.js';
import { concatRowsDims } from './concat-rows.shape.js';
import { concatRowsWgsl } from './concat-rows.wgsl.js';

/**
 * [a; b]: the rows (first axis) of a, then those of b, e.g. two batches of preprocessed images
 * joined on the device without a read-back.
 */
export const concatRows: KernelDef<'a' | 'b', 'out', Record<string, never>> = {
  name: 'concat-rows',
  description: 'the rows (first axis) of a followed by those of b: [na, ...] + [nb, ...] → [na + nb, ...]',
  inputs: { a: ['f32', 'i32'], b: ['f32', 'i32'] },
  outputs: ({ a, b }) => {
    const { rows } = concatRowsDims({ a, b });
    return { out: { shape: [rows, ...a.shape.slice(1)], dtype: a.dtype } };
  },
  cpu: ({ a, b }, _attrs, { out }) => concatRowsCpu(a.data, b.data, out),
  wgsl: concatRowsWgsl,
  // A copy: the same values on every backend.
  tolerance: 0,
};
