import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { L2_NORMALIZE_EPSILON, rowsAndColumns } from './l2-normalize-rows.shape.js';

// One invocation per row (embedding rows are short: a few hundred values).
export const l2NormalizeRowsWgsl = elementwiseWgsl<'x', 'out' | 'norm', unknown>({
  each: 'norm',
  uniforms: { columns: 'u32', epsilon: 'f32' },
  uniformValues: ({ x }) => ({ columns: rowsAndColumns(x, 'l2-normalize-rows')[1], epsilon: L2_NORMALIZE_EPSILON }),
  body: () => `
  let base = i * params.columns;
  var sum = 0.0;
  for (var c = 0u; c < params.columns; c++) { let v = load_x(base + c); sum += v * v; }
  let length = sqrt(sum);
  let divisor = max(length, params.epsilon);
  for (var c = 0u; c < params.columns; c++) { out[base + c] = load_x(base + c) / divisor; }
  norm[i] = length;`,
});
