import type { KernelCases } from '../../kernel.js';
import { concatRows } from './concat-rows.js';

export const concatRowsCases: KernelCases<Record<string, never>> = {
  kernel: concatRows,
  cases: [
    {
      name: 'two batches of 1×2×2 images',
      inputs: { a: { shape: [1, 1, 2, 2], dtype: 'f32', data: [1, 2, 3, 4] }, b: { shape: [2, 1, 2, 2], dtype: 'f32', data: [5, 6, 7, 8, -0.5, 10, 11, 12] } },
      attrs: {},
      expected: { out: [1, 2, 3, 4, 5, 6, 7, 8, -0.5, 10, 11, 12] },
    },
    {
      name: 'integer vectors, one of them empty',
      inputs: { a: { shape: [0], dtype: 'i32', data: [] }, b: { shape: [3], dtype: 'i32', data: [-7, 0, 2147483647] } },
      attrs: {},
      expected: { out: [-7, 0, 2147483647] },
    },
  ],
  random: (rng) => {
    const [na, nb, width] = [rng.int(1, 200), rng.int(1, 200), rng.int(1, 50)];
    return [
      { name: 'random f32 rows', inputs: { a: { shape: [na, width], dtype: 'f32', data: rng.floats(na * width) }, b: { shape: [nb, width], dtype: 'f32', data: rng.floats(nb * width) } }, attrs: {} },
      {
        name: 'random i32 rows',
        inputs: { a: { shape: [na], dtype: 'i32', data: Int32Array.from({ length: na }, () => rng.int(-1000, 1000)) }, b: { shape: [nb], dtype: 'i32', data: Int32Array.from({ length: nb }, () => rng.int(-1000, 1000)) } },
        attrs: {},
      },
    ];
  },
};
