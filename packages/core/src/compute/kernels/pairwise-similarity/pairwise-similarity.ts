import { ShapeError } from '../../../errors.js';
import type { KernelDef, Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';
import { pairwiseSimilarityCpu } from './pairwise-similarity.cpu.js';

export type SimilarityMetric = 'dot' | 'cosine' | 'l2';
const METRICS: readonly SimilarityMetric[] = ['dot', 'cosine', 'l2'];

export interface PairwiseSimilarityAttrs {
  /** `dot` and `cosine` are similarities (larger is closer); `l2` is the squared Euclidean distance (smaller is closer). */
  readonly metric: SimilarityMetric;
}

export function similarityDims({ queries, base }: Specs<'queries' | 'base'>, { metric }: PairwiseSimilarityAttrs): { m: number; n: number; d: number } {
  if (!METRICS.includes(metric)) throw new ShapeError(`kernel "pairwise-similarity": metric "${metric}" is not one of ${METRICS.join(', ')}`);
  if (queries.shape.length !== 2 || base.shape.length !== 2 || queries.shape[1] !== base.shape[1]) {
    throw new ShapeError(`kernel "pairwise-similarity": queries ${formatShape(queries.shape)} and base ${formatShape(base.shape)} must be [m, d] and [n, d]`);
  }
  return { m: queries.shape[0]!, n: base.shape[0]!, d: base.shape[1]! };
}

/** Scores of every query against every base vector: [m, d] × [n, d] → [m, n]. Pair with top-k. */
export const pairwiseSimilarity: KernelDef<'queries' | 'base', 'scores', PairwiseSimilarityAttrs> = {
  name: 'pairwise-similarity',
  description: 'dot, cosine or squared-L2 scores of every query against every base vector',
  inputs: { queries: ['f32'], base: ['f32'] },
  outputs: (inputs, attrs) => {
    const { m, n } = similarityDims(inputs, attrs);
    return { scores: { shape: [m, n], dtype: 'f32' } };
  },
  cpu: (inputs, attrs, { scores }) => pairwiseSimilarityCpu(inputs.queries.data, inputs.base.data, scores as Float32Array, similarityDims(inputs, attrs), attrs.metric),
  wgsl: {
    workgroupSize: [64, 1, 1],
    key: ({ metric }) => metric,
    uniforms: { n: 'u32', d: 'u32' },
    uniformValues: (inputs, attrs) => {
      const { n, d } = similarityDims(inputs, attrs);
      return { n, d };
    },
    launch: (inputs, attrs) => {
      const { m, n } = similarityDims(inputs, attrs);
      return { kind: 'elementwise', invocations: m * n };
    },
    body: ({ attrs: { metric } }) => `
  let q = (i / params.n) * params.d;
  let x = (i % params.n) * params.d;
  var acc = 0.0;
  var qq = 0.0;
  var xx = 0.0;
  for (var t = 0u; t < params.d; t++) {
    let a = load_queries(q + t);
    let b = load_base(x + t);
    ${metric === 'l2' ? 'let diff = a - b;\n    acc = fma(diff, diff, acc);' : 'acc = fma(a, b, acc);'}
    ${metric === 'cosine' ? 'qq = fma(a, a, qq);\n    xx = fma(b, b, xx);' : ''}
  }
  ${metric === 'cosine' ? 'let norms = sqrt(qq) * sqrt(xx);\n  scores[i] = select(0.0, acc / norms, norms > 0.0);' : 'scores[i] = acc;'}`,
  },
  tolerance: 1e-3,
};
