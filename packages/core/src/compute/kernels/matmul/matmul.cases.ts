import type { KernelCases } from '../../kernel.js';
import { matmul, type MatmulAttrs } from './matmul.js';

export const matmulCases: KernelCases<MatmulAttrs> = {
  kernel: matmul,
  cases: [
    {
      name: '2×3 · 3×2',
      inputs: { a: { shape: [2, 3], dtype: 'f32', data: [1, 2, 3, 4, 5, 6] }, b: { shape: [3, 2], dtype: 'f32', data: [7, 8, 9, 10, 11, 12] } },
      attrs: {},
      expected: { out: [58, 64, 139, 154] },
    },
    {
      name: 'aᵀ · b',
      inputs: { a: { shape: [3, 2], dtype: 'f32', data: [1, 4, 2, 5, 3, 6] }, b: { shape: [3, 2], dtype: 'f32', data: [7, 8, 9, 10, 11, 12] } },
      attrs: { transposeA: true },
      expected: { out: [58, 64, 139, 154] },
    },
    {
      name: 'a · bᵀ',
      inputs: { a: { shape: [2, 3], dtype: 'f32', data: [1, 2, 3, 4, 5, 6] }, b: { shape: [2, 3], dtype: 'f32', data: [7, 9, 11, 8, 10, 12] } },
      attrs: { transposeB: true },
      expected: { out: [58, 64, 139, 154] },
    },
    {
      name: 'batched, b shared',
      inputs: { a: { shape: [2, 1, 2], dtype: 'f32', data: [1, 2, 3, 4] }, b: { shape: [2, 2], dtype: 'f32', data: [1, 0, 0, -1] } },
      attrs: {},
      expected: { out: [1, -2, 3, -4] },
    },
    {
      name: 'batched pairs',
      inputs: { a: { shape: [2, 1, 2], dtype: 'f32', data: [1, 2, 3, 4] }, b: { shape: [2, 2, 1], dtype: 'f32', data: [1, 1, 2, -1] } },
      attrs: {},
      expected: { out: [3, 2] },
    },
  ],
  random: (rng) => {
    const m = rng.int(1, 150);
    const n = rng.int(1, 150);
    const k = rng.int(1, 200);
    const batch = rng.int(1, 3);
    return [
      { name: 'random', inputs: { a: { shape: [m, k], dtype: 'f32', data: rng.floats(m * k) }, b: { shape: [k, n], dtype: 'f32', data: rng.floats(k * n) } }, attrs: {} },
      {
        name: 'random transposed, batched',
        inputs: { a: { shape: [batch, k, m], dtype: 'f32', data: rng.floats(batch * k * m) }, b: { shape: [batch, n, k], dtype: 'f32', data: rng.floats(batch * n * k) } },
        attrs: { transposeA: true, transposeB: true },
      },
    ];
  },
};
