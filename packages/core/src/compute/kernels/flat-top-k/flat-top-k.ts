import type { KernelDef } from '../../kernel.js';
import { flatTopKCpu } from './flat-top-k.cpu.js';
import { flatTopKDims, flatTopKOutputs, type FlatTopKAttrs } from './flat-top-k.shape.js';
import { flatTopKWgsl } from './flat-top-k.wgsl.js';

export { MAX_FLAT_TOP_K, type FlatTopKAttrs } from './flat-top-k.shape.js';

/**
 * Flat search on the GPU in one pass: queries [m, d] against base vectors [n, d] (dot, cosine,
 * squared L2), each workgroup walking the whole base for its tile of 8 queries and keeping their
 * k best in workgroup memory — scoring, top-k and the merge across the base in one dispatch, with
 * only [m, 1, k] (value, index) written. Masked-out vectors never count. With `slices` > 1 the base
 * is split and each slice writes its own k best ([m, slices, k], for top-k-merge): more workgroups
 * when there are few queries. similarity-top-k + top-k-merge serve k beyond MAX_FLAT_TOP_K.
 */
export const flatTopK: KernelDef<'queries' | 'base' | 'mask', 'values' | 'indices', FlatTopKAttrs> = {
  name: 'flat-top-k',
  description: 'fused flat search: query × base similarity (dot, cosine, squared L2) and the k best per query in one pass over the base',
  inputs: { queries: ['f32'], base: ['f32'], mask: ['u8'] },
  outputs: flatTopKOutputs,
  cpu: (inputs, attrs, { values, indices }) =>
    flatTopKCpu(inputs.queries.data, inputs.base.data, inputs.mask.data, values as Float32Array, indices as Int32Array, flatTopKDims(inputs, attrs), attrs.metric, attrs.k),
  wgsl: flatTopKWgsl,
  // f32 sums against the float64 reference (as similarity-top-k); indices agree exactly on the
  // cases, whose values are quarter steps (exact sums, exact ties) or continuous (no near-ties).
  tolerance: 1e-3,
};
