import type { KernelCases } from '../../kernel.js';
import { topK, type TopKAttrs } from './top-k.js';

export const topKCases: KernelCases<TopKAttrs> = {
  kernel: topK,
  cases: [
    {
      name: 'largest 2 per row',
      inputs: { x: { shape: [2, 4], dtype: 'f32', data: [0.1, 0.9, 0.5, 0.7, 3, 1, 2, 0] } },
      attrs: { k: 2 },
      expected: { values: [0.9, 0.7, 3, 2], indices: [1, 3, 0, 2] },
    },
    {
      name: 'smallest 3 (distances), ties keep the lower index',
      inputs: { x: { shape: [5], dtype: 'f32', data: [4, 1, 2, 1, 0.5] } },
      attrs: { k: 3, largest: false },
      expected: { values: [0.5, 1, 1], indices: [4, 1, 3] },
    },
    {
      name: 'k equals the row length',
      inputs: { x: { shape: [3], dtype: 'f32', data: [-1, 5, 2] } },
      attrs: { k: 3 },
      expected: { values: [5, 2, -1], indices: [1, 2, 0] },
    },
  ],
  random: (rng) => {
    const rows = rng.int(1, 130);
    const n = rng.int(20, 3000);
    return [
      { name: 'random largest', inputs: { x: { shape: [rows, n], dtype: 'f32', data: rng.floats(rows * n) } }, attrs: { k: rng.int(1, 20) } },
      { name: 'random smallest', inputs: { x: { shape: [rows, n], dtype: 'f32', data: rng.floats(rows * n) } }, attrs: { k: rng.int(1, 20), largest: false } },
    ];
  },
};
