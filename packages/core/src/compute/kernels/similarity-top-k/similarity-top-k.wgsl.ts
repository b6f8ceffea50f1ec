import type { WgslProgram } from '../../kernel.js';
import { f32ChunkScoreDeclarations, f32ChunkScores } from '../../kernels-shared/f32-chunk-scores.wgsl.js';
import { chunkBestReduction, chunkKeyDeclarations } from '../../kernels-shared/running-top-k.wgsl.js';
import { QUERY_TILE, similarityTopKDims, type SimilarityTopKAttrs } from './similarity-top-k.shape.js';

// One workgroup of 64 invocations scores QUERY_TILE queries against a chunk of CHUNK base vectors
// (f32-chunk-scores.wgsl.ts); k rounds of the max-reduction (running-top-k.wgsl.ts) then pick that
// chunk's k best for every query, each round knocking its pick out. top-k-merge combines the chunks.
export const similarityTopKWgsl: WgslProgram<'queries' | 'base' | 'mask', 'values' | 'indices', SimilarityTopKAttrs> = {
  workgroupSize: [64, 1, 1],
  key: ({ metric }) => metric,
  uniforms: { m: 'u32', n: 'u32', d: 'u32', k: 'u32', chunks: 'u32', neg_inf: 'u32' },
  uniformValues: (inputs, attrs) => {
    const { m, n, d, chunks } = similarityTopKDims(inputs, attrs);
    // −∞ as bits: WGSL has no infinite constants.
    return { m, n, d, k: attrs.k, chunks, neg_inf: 0xff800000 };
  },
  launch: (inputs, attrs) => {
    const { m, chunks } = similarityTopKDims(inputs, attrs);
    return { kind: 'workgroups', count: [chunks, Math.ceil(m / QUERY_TILE), 1] };
  },
  declarations: () => `${chunkKeyDeclarations()}${f32ChunkScoreDeclarations()}`,
  body: ({ attrs: { metric } }) => `
  let chunk = wid.x;
  let q0 = wid.y * QT;
  let neg_inf = bitcast<f32>(params.neg_inf);
  ${f32ChunkScores(metric)}
  let qi = lindex / 8u;
  let sub = lindex % 8u;
  for (var round = 0u; round < params.k; round++) {
    ${chunkBestReduction()}
    if (sub == 0u) {
      let q = q0 + qi;
      let key = red_key[lindex];
      let pos = red_pos[lindex];
      if (q < params.m) {
        let o = (q * params.chunks + chunk) * params.k + round;
        if (key == neg_inf) {
          values[o] = ${metric === 'l2' ? '-neg_inf' : 'neg_inf'};
          indices[o] = -1;
        } else {
          values[o] = ${metric === 'l2' ? '-key' : 'key'};
          indices[o] = i32(chunk * CH + pos);
        }
      }
      keys[qi * CH + pos] = neg_inf;
    }
    workgroupBarrier();
  }`,
};
