import type { KernelCases } from '../../kernel.js';
import { mul } from './mul.js';

export const mulCases: KernelCases<Record<string, never>> = {
  kernel: mul,
  cases: [
    {
      name: 'same shape',
      inputs: { a: { shape: [4], dtype: 'f32', data: [1, 2, -3, 0.5] }, b: { shape: [4], dtype: 'f32', data: [2, 0.25, 3, -4] } },
      attrs: {},
      expected: { out: [2, 0.5, -9, -2] },
    },
    {
      name: 'per-column gain',
      inputs: { a: { shape: [2, 2], dtype: 'f32', data: [1, 2, 3, 4] }, b: { shape: [2], dtype: 'f32', data: [10, -1] } },
      attrs: {},
      expected: { out: [10, -2, 30, -4] },
    },
  ],
  random: (rng) => {
    const n = rng.int(1, 5000);
    const cols = rng.int(1, 9);
    const rows = rng.int(1, 500);
    return [
      { name: 'random vector', inputs: { a: { shape: [n], dtype: 'f32', data: rng.floats(n) }, b: { shape: [n], dtype: 'f32', data: rng.floats(n) } }, attrs: {} },
      { name: 'random gain', inputs: { a: { shape: [rows, cols], dtype: 'f32', data: rng.floats(rows * cols) }, b: { shape: [1, cols], dtype: 'f32', data: rng.floats(cols) } }, attrs: {} },
    ];
  },
};
