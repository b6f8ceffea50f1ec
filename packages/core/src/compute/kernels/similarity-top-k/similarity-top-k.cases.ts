import type { KernelCases } from '../../kernel.js';
import { similarityFixedCases, similarityRandomCases } from '../../kernels-shared/similarity-top-k-cases.js';
import { similarityTopK, type SimilarityTopKAttrs } from './similarity-top-k.js';

export const similarityTopKCases: KernelCases<SimilarityTopKAttrs> = {
  kernel: similarityTopK,
  cases: [
    ...similarityFixedCases,
    {
      name: 'equal scores keep the lower index',
      inputs: { queries: { shape: [1, 1], dtype: 'f32', data: [1] }, base: { shape: [3, 1], dtype: 'f32', data: [5, 5, 5] }, mask: { shape: [3], dtype: 'u8', data: [1, 1, 1] } },
      attrs: { metric: 'dot', k: 2 },
      expected: { values: [5, 5], indices: [0, 1] },
    },
  ],
  random: (rng) => similarityRandomCases(rng, (metric) => ({ metric, k: rng.int(1, 16) })),
};
