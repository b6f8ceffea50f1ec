import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { similarityDims, type PairwiseSimilarityAttrs } from './pairwise-similarity.shape.js';

// One invocation per (query, base) score.
export const pairwiseSimilarityWgsl = elementwiseWgsl<'queries' | 'base', 'scores', PairwiseSimilarityAttrs>({
  each: 'scores',
  key: ({ metric }) => metric,
  uniforms: { n: 'u32', d: 'u32' },
  uniformValues: (inputs, attrs) => {
    const { n, d } = similarityDims(inputs, attrs);
    return { n, d };
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
});
