import type { KernelCases } from '../../kernel.js';
import { gatherRows } from './gather-rows.js';

export const gatherRowsCases: KernelCases<Record<string, never>> = {
  kernel: gatherRows,
  cases: [
    {
      name: 'shuffled rows, repeats, out of range gives zeros',
      inputs: { x: { shape: [3, 2], dtype: 'f32', data: [1, 2, 3, 4, 5, 6] }, indices: { shape: [4], dtype: 'i32', data: [2, 0, 2, 3] } },
      attrs: {},
      expected: { out: [5, 6, 1, 2, 5, 6, 0, 0] },
    },
    {
      name: 'integer labels',
      inputs: { x: { shape: [4], dtype: 'i32', data: [7, -1, 9, 3] }, indices: { shape: [3], dtype: 'i32', data: [3, 1, -5] } },
      attrs: {},
      expected: { out: [3, -1, 0] },
    },
  ],
  random: (rng) => {
    const rows = rng.int(1, 500);
    const cols = rng.int(1, 70);
    const count = rng.int(1, 300);
    const indices = Int32Array.from({ length: count }, () => rng.int(0, rows - 1));
    return [
      { name: 'random f32 rows', inputs: { x: { shape: [rows, cols], dtype: 'f32', data: rng.floats(rows * cols) }, indices: { shape: [count], dtype: 'i32', data: indices } }, attrs: {} },
      {
        name: 'random i32 vector',
        inputs: { x: { shape: [rows], dtype: 'i32', data: Int32Array.from({ length: rows }, () => rng.int(-5, 50)) }, indices: { shape: [count], dtype: 'i32', data: indices } },
        attrs: {},
      },
    ];
  },
};
