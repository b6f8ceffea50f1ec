import type { KernelCases } from '../../kernel.js';
import { topKMerge, type TopKMergeAttrs } from './top-k-merge.js';

export const topKMergeCases: KernelCases<TopKMergeAttrs> = {
  kernel: topKMerge,
  cases: [
    {
      name: 'two chunks of two, largest',
      inputs: { scores: { shape: [1, 4], dtype: 'f32', data: [0.9, 0.5, 0.95, 0.1] }, ids: { shape: [1, 4], dtype: 'i32', data: [3, 7, 260, 300] } },
      attrs: { k: 3 },
      expected: { values: [0.95, 0.9, 0.5], indices: [260, 3, 7] },
    },
    {
      name: 'smallest (distances), padding −1 skipped, short row padded with +∞',
      inputs: { scores: { shape: [2, 3], dtype: 'f32', data: [4, Infinity, 1, 2, Infinity, Infinity] }, ids: { shape: [2, 3], dtype: 'i32', data: [5, -1, 9, 8, -1, -1] } },
      attrs: { k: 2, largest: false },
      expected: { values: [1, 4, 2, Infinity], indices: [9, 5, 8, -1] },
    },
    {
      name: 'equal values rank the lower index first, whatever the order',
      inputs: { scores: { shape: [1, 3], dtype: 'f32', data: [1, 1, 1] }, ids: { shape: [1, 3], dtype: 'i32', data: [40, 2, 17] } },
      attrs: { k: 2 },
      expected: { values: [1, 1], indices: [2, 17] },
    },
  ],
  random: (rng) => {
    const rows = rng.int(1, 100);
    const parts = rng.int(1, 600);
    // Values in eighths: many exact ties, so the index tie-break is exercised.
    const values = Float32Array.from({ length: rows * parts }, () => rng.int(-8, 8) / 8);
    const indices = Int32Array.from({ length: rows * parts }, (_, i) => (rng.next() < 0.1 ? -1 : i % parts));
    return [
      { name: 'random largest', inputs: { scores: { shape: [rows, parts], dtype: 'f32', data: values }, ids: { shape: [rows, parts], dtype: 'i32', data: indices } }, attrs: { k: rng.int(1, 32) } },
      { name: 'random smallest', inputs: { scores: { shape: [rows, parts], dtype: 'f32', data: values }, ids: { shape: [rows, parts], dtype: 'i32', data: indices } }, attrs: { k: rng.int(1, 32), largest: false } },
    ];
  },
};
