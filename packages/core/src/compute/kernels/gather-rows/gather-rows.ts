import { ShapeError } from '../../../errors.js';
import type { KernelDef, TensorSpec } from '../../kernel.js';
import { formatShape, sizeOf } from '../../shape.js';

function dims(x: TensorSpec, indices: TensorSpec): { rows: number; rowSize: number; count: number } {
  if (x.shape.length < 1) throw new ShapeError(`kernel "gather-rows": x ${formatShape(x.shape)} must have rank ≥ 1`);
  if (indices.shape.length !== 1) throw new ShapeError(`kernel "gather-rows": indices ${formatShape(indices.shape)} must be a vector`);
  return { rows: x.shape[0]!, rowSize: sizeOf(x.shape.slice(1)), count: indices.shape[0]! };
}

/**
 * out[b] = x[indices[b]]: picks rows (the first axis) by index, e.g. a shuffled mini-batch from
 * a dataset that stays on the device. An index outside [0, rows) gives a row of zeros.
 */
export const gatherRows: KernelDef<'x' | 'indices', 'out', Record<string, never>> = {
  name: 'gather-rows',
  description: 'rows of x (first axis) picked by an index vector; out-of-range indices give zeros',
  inputs: { x: ['f32', 'i32'], indices: ['i32'] },
  outputs: ({ x, indices }) => {
    const { count } = dims(x, indices);
    return { out: { shape: [count, ...x.shape.slice(1)], dtype: x.dtype } };
  },
  cpu: ({ x, indices }, _attrs, { out }) => {
    const { rows, rowSize, count } = dims(x, indices);
    const src = x.data;
    for (let b = 0; b < count; b++) {
      const row = indices.data[b]!;
      const to = b * rowSize;
      if (row < 0 || row >= rows) {
        out.fill(0, to, to + rowSize);
        continue;
      }
      const from = row * rowSize;
      if (rowSize === 1) out[to] = src[from]!;
      else out.set(src.subarray(from, from + rowSize), to); // a memcpy: far faster than an element loop over the dtype union
    }
  },
  wgsl: {
    workgroupSize: [64, 1, 1],
    uniforms: { rows: 'u32', row_size: 'u32' },
    uniformValues: ({ x, indices }) => {
      const { rows, rowSize } = dims(x, indices);
      return { rows, row_size: rowSize };
    },
    launch: ({ x, indices }) => {
      const { rowSize, count } = dims(x, indices);
      return { kind: 'elementwise', invocations: rowSize * count };
    },
    body: ({ inputs: { x } }) => `
  let row = raw_indices(i / params.row_size);
  if (row < 0 || u32(row) >= params.rows) {
    out[i] = ${x.dtype === 'f32' ? '0.0' : '0i'};
    return;
  }
  out[i] = raw_x(u32(row) * params.row_size + i % params.row_size);`,
  },
  tolerance: 0,
};
