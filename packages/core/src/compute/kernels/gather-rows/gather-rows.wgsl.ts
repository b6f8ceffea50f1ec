import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { gatherRowsDims, type GatherRowsAttrs } from './gather-rows.shape.js';

export const gatherRowsWgsl = elementwiseWgsl<'x' | 'indices', 'out', GatherRowsAttrs>({
  each: 'out',
  uniforms: { rows: 'u32', row_size: 'u32' },
  uniformValues: ({ x, indices }) => {
    const { rows, rowSize } = gatherRowsDims(x, indices);
    return { rows, row_size: rowSize };
  },
  body: ({ inputs: { x } }) => `
  let row = raw_indices(i / params.row_size);
  if (row < 0 || u32(row) >= params.rows) {
    out[i] = ${x.dtype === 'f32' ? '0.0' : '0i'};
    return;
  }
  out[i] = raw_x(u32(row) * params.row_size + i % params.row_size);`,
});
