import type { WgslProgram } from '../../kernel.js';
import { FUSED_QUERY_TILE, runningTopKDeclarations, runningTopKInit, runningTopKMergeChunk, runningTopKWrite } from '../../kernels-shared/running-top-k.wgsl.js';
import { flatTopKInt8Dims, type FlatTopKInt8Attrs, type FlatTopKInt8Inputs } from './flat-top-k-int8.shape.js';

// As flat-top-k, over codes: each invocation holds 4 base rows × 8 queries of i32 accumulators; the
// query codes stream through workgroup memory DEPTH dimensions (DEPTH / 4 words of base codes) at
// a time, and each u32 word read from the base yields 4 codes for the 8 queries. The chunk's keys
// merge into the queries' running lists (running-top-k.wgsl.ts).
const DEPTH = 16;

export const flatTopKInt8Wgsl: WgslProgram<FlatTopKInt8Inputs, 'values' | 'indices', FlatTopKInt8Attrs> = {
  workgroupSize: [64, 1, 1],
  uniforms: { m: 'u32', n: 'u32', d: 'u32', words: 'u32', k: 'u32', chunks: 'u32', neg_inf: 'u32' },
  uniformValues: (inputs, attrs) => {
    const { m, n, d, rowCodes, chunks } = flatTopKInt8Dims(inputs, attrs);
    return { m, n, d, words: rowCodes / 4, k: attrs.k, chunks, neg_inf: 0xff800000 };
  },
  launch: (inputs, attrs) => ({ kind: 'workgroups', count: [Math.ceil(flatTopKInt8Dims(inputs, attrs).m / FUSED_QUERY_TILE), 1, 1] }),
  declarations: () => `${runningTopKDeclarations()}
const DEPTH = ${DEPTH}u;
var<workgroup> q_tile: array<i32, ${FUSED_QUERY_TILE * DEPTH}>;`,
  body: () => `
  let q0 = wid.x * QT;
  let neg_inf = bitcast<f32>(params.neg_inf);
  ${runningTopKInit()}
  for (var chunk = 0u; chunk < params.chunks; chunk++) {
    var acc = array<i32, 32>();
    for (var t = 0u; t < params.d; t += DEPTH) {
      for (var l = 0u; l < 2u; l++) {
        let idx = lindex + l * 64u;
        let q = q0 + idx / DEPTH;
        let j = t + idx % DEPTH;
        var v = 0;
        if (q < params.m && j < params.d) { v = raw_queryCodes(q * params.d + j); }
        q_tile[idx] = v;
      }
      workgroupBarrier();
      for (var r = 0u; r < 4u; r++) {
        let b = chunk * CH + lindex + r * 64u;
        if (b < params.n) {
          for (var w = 0u; w < DEPTH / 4u; w++) {
            let word = t / 4u + w;
            if (word < params.words) {
              let x = codes[b * params.words + word];
              for (var byte = 0u; byte < 4u; byte++) {
                let c = i32((x >> (byte * 8u)) & 0xffu);
                for (var qi = 0u; qi < QT; qi++) {
                  acc[r * 8u + qi] += c * q_tile[qi * DEPTH + w * 4u + byte];
                }
              }
            }
          }
        }
      }
      workgroupBarrier();
    }
    // Keys of this invocation's 4 × 8 pairs; masked-out and out-of-range pairs are −∞.
    for (var r = 0u; r < 4u; r++) {
      let b = chunk * CH + lindex + r * 64u;
      for (var qi = 0u; qi < QT; qi++) {
        var key = neg_inf;
        if (b < params.n && q0 + qi < params.m && raw_mask(b) != 0u) {
          key = f32(acc[r * 8u + qi]) * scales[q0 + qi] + bias[b];
        }
        keys[qi * CH + lindex + r * 64u] = key;
      }
    }
    workgroupBarrier();
    ${runningTopKMergeChunk()}
  }
  ${runningTopKWrite((key) => key)}`,
};
