import type { KernelCases } from '../../kernel.js';
import { add } from './add.js';

export const addCases: KernelCases<Record<string, never>> = {
  kernel: add,
  cases: [
    {
      name: 'same shape',
      inputs: { a: { shape: [2, 2], dtype: 'f32', data: [1, 2, 3, 4] }, b: { shape: [2, 2], dtype: 'f32', data: [10, 20, 30, 40] } },
      attrs: {},
      expected: { out: [11, 22, 33, 44] },
    },
    {
      name: 'bias over rows',
      inputs: { a: { shape: [2, 3], dtype: 'f32', data: [0, 1, 2, 3, 4, 5] }, b: { shape: [1, 3], dtype: 'f32', data: [0.5, -1, 2] } },
      attrs: {},
      expected: { out: [0.5, 0, 4, 3.5, 3, 7] },
    },
    {
      name: 'scalar',
      inputs: { a: { shape: [3], dtype: 'f32', data: [1, -2, 3] }, b: { shape: [], dtype: 'f32', data: [-1] } },
      attrs: {},
      expected: { out: [0, -3, 2] },
    },
  ],
  random: (rng) => {
    const rows = rng.int(1, 300);
    const cols = rng.int(1, 70);
    return [
      { name: 'random same shape', inputs: { a: { shape: [rows, cols], dtype: 'f32', data: rng.floats(rows * cols) }, b: { shape: [rows, cols], dtype: 'f32', data: rng.floats(rows * cols) } }, attrs: {} },
      { name: 'random bias', inputs: { a: { shape: [rows, cols], dtype: 'f32', data: rng.floats(rows * cols) }, b: { shape: [cols], dtype: 'f32', data: rng.floats(cols) } }, attrs: {} },
    ];
  },
};
