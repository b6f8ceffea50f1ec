import type { KernelDef } from '../../kernel.js';
import { similarityTopKCpu } from './similarity-top-k.cpu.js';
import { similarityTopKDims, similarityTopKOutputs, type SimilarityTopKAttrs } from './similarity-top-k.shape.js';
import { similarityTopKWgsl } from './similarity-top-k.wgsl.js';

export { MAX_SIMILARITY_TOP_K, type SimilarityTopKAttrs } from './similarity-top-k.shape.js';

/**
 * The first step of flat search on the GPU: tiled similarity of queries [m, d] against base
 * vectors [n, d] with a per-workgroup top-k. Output [m, chunks, k] — each chunk of 256 base
 * vectors' k best (masked-out vectors never count) — for `top-k-merge` to reduce to [m, k].
 */
export const similarityTopK: KernelDef<'queries' | 'base' | 'mask', 'values' | 'indices', SimilarityTopKAttrs> = {
  name: 'similarity-top-k',
  description: 'tiled query × base similarity (dot, cosine, squared L2) with each chunk of 256 base vectors keeping its k best',
  inputs: { queries: ['f32'], base: ['f32'], mask: ['u8'] },
  outputs: similarityTopKOutputs,
  cpu: (inputs, attrs, { values, indices }) =>
    similarityTopKCpu(inputs.queries.data, inputs.base.data, inputs.mask.data, values as Float32Array, indices as Int32Array, similarityTopKDims(inputs, attrs), attrs.metric, attrs.k),
  wgsl: similarityTopKWgsl,
  tolerance: 1e-3,
};
