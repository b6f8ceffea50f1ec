import type { KernelCases } from '../../kernel.js';
import { gram } from './gram.js';

export const gramCases: KernelCases<Record<string, never>> = {
  kernel: gram,
  cases: [
    {
      // Columns a = [1, 2, 3], b = [2, 4, 6], c = [1, 1, 1], centered at their means 2, 4, 1:
      // a' = [−1, 0, 1], b' = 2a', c' = 0 → a'·a' = 2, a'·b' = 4, b'·b' = 8.
      name: 'three columns at their means',
      inputs: { x: { shape: [3, 3], dtype: 'f32', data: [1, 2, 1, 2, 4, 1, 3, 6, 1] }, center: { shape: [3], dtype: 'f32', data: [2, 4, 1] } },
      attrs: {},
      expected: { out: [2, 4, 0, 4, 8, 0, 0, 0, 0] },
    },
    {
      // Not centered at the means: (x − c) = [[1, −1], [2, 1]] → [[1+4, −1+2], [−1+2, 1+1]].
      name: 'any center',
      inputs: { x: { shape: [2, 2], dtype: 'f32', data: [1, 0, 2, 2] }, center: { shape: [2], dtype: 'f32', data: [0, 1] } },
      attrs: {},
      expected: { out: [5, 1, 1, 2] },
    },
    {
      name: 'no rows gives zeros',
      inputs: { x: { shape: [0, 2], dtype: 'f32', data: [] }, center: { shape: [2], dtype: 'f32', data: [1, 1] } },
      attrs: {},
      expected: { out: [0, 0, 0, 0] },
    },
  ],
  random: (rng) => {
    const rows = rng.int(1, 300);
    const cols = rng.int(1, 150);
    // Data far from zero, centered at its column means: the centering happens before the product.
    const data = Float32Array.from({ length: rows * cols }, () => 50 + rng.normal());
    const center = new Float32Array(cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) center[c]! += data[r * cols + c]! / rows;
    return [{ name: 'random offset data', inputs: { x: { shape: [rows, cols], dtype: 'f32', data }, center: { shape: [cols], dtype: 'f32', data: center } }, attrs: {} }];
  },
};
