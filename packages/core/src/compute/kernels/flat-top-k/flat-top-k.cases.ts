import type { KernelCases } from '../../kernel.js';
import { similarityFixedCases, similarityRandomCases } from '../../kernels-shared/similarity-top-k-cases.js';
import { flatTopK, type FlatTopKAttrs } from './flat-top-k.js';

/** One query [1] against the base 0, 1, …, 599 (three chunks): index i scores i. */
const ascending600 = {
  queries: { shape: [1, 1], dtype: 'f32' as const, data: [1] },
  base: { shape: [600, 1], dtype: 'f32' as const, data: Float32Array.from({ length: 600 }, (_, i) => i) },
  mask: { shape: [600], dtype: 'u8' as const, data: new Uint8Array(600).fill(1) },
};

export const flatTopKCases: KernelCases<FlatTopKAttrs> = {
  kernel: flatTopK,
  cases: [
    ...similarityFixedCases,
    {
      name: 'equal scores across chunks keep the lower index (300 equal vectors, two chunks)',
      inputs: { queries: { shape: [1, 1], dtype: 'f32', data: [1] }, base: { shape: [300, 1], dtype: 'f32', data: new Float32Array(300).fill(5) }, mask: { shape: [300], dtype: 'u8', data: new Uint8Array(300).fill(1) } },
      attrs: { metric: 'dot', k: 3 },
      expected: { values: [5, 5, 5], indices: [0, 1, 2] },
    },
    {
      name: 'later chunks displace earlier hits (the best vectors are the last ones)',
      inputs: ascending600,
      attrs: { metric: 'dot', k: 3 },
      expected: { values: [599, 598, 597], indices: [599, 598, 597] },
    },
    {
      name: 'three slices of the base keep their own k best (600 ascending vectors)',
      inputs: ascending600,
      attrs: { metric: 'dot', k: 2, slices: 3 },
      expected: { values: [255, 254, 511, 510, 599, 598], indices: [255, 254, 511, 510, 599, 598] },
    },
  ],
  random: (rng) => similarityRandomCases(rng, (metric) => ({ metric, k: rng.int(1, 64), slices: rng.int(1, 4) })),
};
