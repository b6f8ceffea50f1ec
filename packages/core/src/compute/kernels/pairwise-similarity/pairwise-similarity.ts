import type { KernelDef } from '../../kernel.js';
import { pairwiseSimilarityCpu } from './pairwise-similarity.cpu.js';
import { pairwiseSimilarityOutputs, similarityDims, type PairwiseSimilarityAttrs } from './pairwise-similarity.shape.js';
import { pairwiseSimilarityWgsl } from './pairwise-similarity.wgsl.js';

export type { PairwiseSimilarityAttrs, SimilarityMetric } from './pairwise-similarity.shape.js';

/** Scores of every query against every base vector: [m, d] × [n, d] → [m, n]. Pair with top-k. */
export const pairwiseSimilarity: KernelDef<'queries' | 'base', 'scores', PairwiseSimilarityAttrs> = {
  name: 'pairwise-similarity',
  description: 'dot, cosine or squared-L2 scores of every query against every base vector',
  inputs: { queries: ['f32'], base: ['f32'] },
  outputs: pairwiseSimilarityOutputs,
  cpu: (inputs, attrs, { scores }) => pairwiseSimilarityCpu(inputs.queries.data, inputs.base.data, scores as Float32Array, similarityDims(inputs, attrs), attrs.metric),
  wgsl: pairwiseSimilarityWgsl,
  tolerance: 1e-3,
};
