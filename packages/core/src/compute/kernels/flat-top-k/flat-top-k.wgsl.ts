import type { WgslProgram } from '../../kernel.js';
import { FUSED_QUERY_TILE, runningTopKDeclarations, runningTopKInit, runningTopKMergeChunk, runningTopKSliceBounds, runningTopKWrite } from '../../kernels-shared/running-top-k.wgsl.js';
import { flatTopKDims, type FlatTopKAttrs } from './flat-top-k.shape.js';

// One workgroup of 64 invocations per tile of 8 queries (and slice of the base) walks the base
// 256 vectors at a time.
// Scoring a chunk is similarity-top-k's: each invocation holds 4 base vectors × 8 queries of
// accumulators, the queries streaming through workgroup memory DEPTH dimensions at a time. The
// chunk's keys then merge into the queries' running lists (running-top-k.wgsl.ts).
const DEPTH = 16;

export const flatTopKWgsl: WgslProgram<'queries' | 'base' | 'mask', 'values' | 'indices', FlatTopKAttrs> = {
  workgroupSize: [64, 1, 1],
  key: ({ metric }) => metric,
  uniforms: { m: 'u32', n: 'u32', d: 'u32', k: 'u32', chunks: 'u32', slices: 'u32', slice_chunks: 'u32', neg_inf: 'u32' },
  uniformValues: (inputs, attrs) => {
    const { m, n, d, chunks, slices, sliceChunks } = flatTopKDims(inputs, attrs);
    // −∞ as bits: WGSL has no infinite constants.
    return { m, n, d, k: attrs.k, chunks, slices, slice_chunks: sliceChunks, neg_inf: 0xff800000 };
  },
  launch: (inputs, attrs) => {
    const { m, slices } = flatTopKDims(inputs, attrs);
    return { kind: 'workgroups', count: [Math.ceil(m / FUSED_QUERY_TILE), slices, 1] };
  },
  declarations: () => `${runningTopKDeclarations()}
const DEPTH = ${DEPTH}u;
var<workgroup> q_tile: array<f32, ${FUSED_QUERY_TILE * DEPTH}>;`,
  body: ({ attrs: { metric } }) => `
  let q0 = wid.x * QT;
  let neg_inf = bitcast<f32>(params.neg_inf);
  ${runningTopKInit()}
  ${runningTopKSliceBounds()}
  for (var chunk = first_chunk; chunk < end_chunk; chunk++) {
    var acc = array<f32, 32>();
    var xx = array<f32, 4>();
    var qq = array<f32, 8>();
    for (var t = 0u; t < params.d; t += DEPTH) {
      for (var l = 0u; l < 2u; l++) {
        let idx = lindex + l * 64u;
        let q = q0 + idx / DEPTH;
        let j = t + idx % DEPTH;
        var v = 0.0;
        if (q < params.m && j < params.d) { v = load_queries(q * params.d + j); }
        q_tile[idx] = v;
      }
      workgroupBarrier();
      for (var dj = 0u; dj < DEPTH; dj++) {
        for (var qi = 0u; qi < QT; qi++) {
          let a = q_tile[qi * DEPTH + dj];
          qq[qi] = fma(a, a, qq[qi]);
        }
      }
      for (var r = 0u; r < 4u; r++) {
        let b = chunk * CH + lindex + r * 64u;
        if (b < params.n) {
          for (var dj = 0u; dj < DEPTH; dj++) {
            let j = t + dj;
            if (j < params.d) {
              let x = load_base(b * params.d + j);
              xx[r] = fma(x, x, xx[r]);
              for (var qi = 0u; qi < QT; qi++) {
                let a = q_tile[qi * DEPTH + dj];
                ${metric === 'l2' ? 'let diff = a - x;\n                acc[r * 8u + qi] = fma(diff, diff, acc[r * 8u + qi]);' : 'acc[r * 8u + qi] = fma(a, x, acc[r * 8u + qi]);'}
              }
            }
          }
        }
      }
      workgroupBarrier();
    }
    // Keys (larger = better) of this invocation's 4 × 8 pairs; masked-out and out-of-range pairs are −∞.
    for (var r = 0u; r < 4u; r++) {
      let b = chunk * CH + lindex + r * 64u;
      for (var qi = 0u; qi < QT; qi++) {
        var key = neg_inf;
        if (b < params.n && q0 + qi < params.m && raw_mask(b) != 0u) {
          ${
            metric === 'cosine'
              ? 'let norms = sqrt(qq[qi]) * sqrt(xx[r]);\n          key = select(0.0, acc[r * 8u + qi] / norms, norms > 0.0);'
              : metric === 'l2'
                ? 'key = -acc[r * 8u + qi];'
                : 'key = acc[r * 8u + qi];'
          }
        }
        keys[qi * CH + lindex + r * 64u] = key;
      }
    }
    workgroupBarrier();
    ${runningTopKMergeChunk()}
  }
  ${runningTopKWrite((key) => (metric === 'l2' ? `-${key}` : key))}`,
};
