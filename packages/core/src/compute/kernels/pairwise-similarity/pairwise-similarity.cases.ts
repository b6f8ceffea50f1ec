import type { KernelCases } from '../../kernel.js';
import { pairwiseSimilarity, type PairwiseSimilarityAttrs } from './pairwise-similarity.js';

const queries = { shape: [2, 2], dtype: 'f32' as const, data: [1, 0, 3, 4] };
const base = { shape: [3, 2], dtype: 'f32' as const, data: [2, 0, 0, 1, 0, 0] };

export const pairwiseSimilarityCases: KernelCases<PairwiseSimilarityAttrs> = {
  kernel: pairwiseSimilarity,
  cases: [
    { name: 'dot', inputs: { queries, base }, attrs: { metric: 'dot' }, expected: { scores: [2, 0, 0, 6, 4, 0] } },
    { name: 'cosine (zero vector scores 0)', inputs: { queries, base }, attrs: { metric: 'cosine' }, expected: { scores: [1, 0, 0, 0.6, 0.8, 0] } },
    { name: 'squared L2', inputs: { queries, base }, attrs: { metric: 'l2' }, expected: { scores: [1, 2, 1, 17, 18, 25] } },
  ],
  random: (rng) => {
    const m = rng.int(1, 40);
    const n = rng.int(1, 500);
    const d = rng.int(1, 80);
    return (['dot', 'cosine', 'l2'] as const).map((metric) => ({
      name: `random ${metric}`,
      inputs: { queries: { shape: [m, d], dtype: 'f32' as const, data: rng.floats(m * d) }, base: { shape: [n, d], dtype: 'f32' as const, data: rng.floats(n * d) } },
      attrs: { metric },
    }));
  },
};
