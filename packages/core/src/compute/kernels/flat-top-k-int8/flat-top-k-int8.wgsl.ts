import type { WgslProgram } from '../../kernel.js';
import { FUSED_QUERY_TILE, chunkKeys, runningTopKDeclarations, runningTopKInit, runningTopKMergeChunk, runningTopKSliceBounds, runningTopKWrite } from '../../kernels-shared/running-top-k.wgsl.js';
import { flatTopKInt8Dims, type FlatTopKInt8Attrs, type FlatTopKInt8Inputs } from './flat-top-k-int8.shape.js';

// As flat-top-k, over codes: each invocation holds 4 base rows × 8 queries of i32 accumulators; the
// query codes stream through workgroup memory DEPTH dimensions (DEPTH / 4 words of base codes) at
// a time as vec4<i32>, and each u32 word read from the base is unpacked once into 4 codes that one
// integer dot() per query consumes (the vector form also keeps the shader small: the scalar loop
// nest took lavapipe's compiler minutes). The chunk's keys
// merge into the queries' running lists (running-top-k.wgsl.ts).
const DEPTH = 16;

export const flatTopKInt8Wgsl: WgslProgram<FlatTopKInt8Inputs, 'values' | 'indices', FlatTopKInt8Attrs> = {
  workgroupSize: [64, 1, 1],
  uniforms: { m: 'u32', n: 'u32', d: 'u32', words: 'u32', k: 'u32', chunks: 'u32', slices: 'u32', slice_chunks: 'u32', neg_inf: 'u32' },
  uniformValues: (inputs, attrs) => {
    const { m, n, d, rowCodes, chunks, slices, sliceChunks } = flatTopKInt8Dims(inputs, attrs);
    return { m, n, d, words: rowCodes / 4, k: attrs.k, chunks, slices, slice_chunks: sliceChunks, neg_inf: 0xff800000 };
  },
  launch: (inputs, attrs) => {
    const { m, slices } = flatTopKInt8Dims(inputs, attrs);
    return { kind: 'workgroups', count: [Math.ceil(m / FUSED_QUERY_TILE), slices, 1] };
  },
  declarations: () => `${runningTopKDeclarations()}
const DEPTH = ${DEPTH}u;
var<workgroup> q_tile: array<vec4<i32>, ${(FUSED_QUERY_TILE * DEPTH) / 4}>;`,
  body: () => `
  let q0 = wid.x * QT;
  let neg_inf = bitcast<f32>(params.neg_inf);
  ${runningTopKInit()}
  ${runningTopKSliceBounds()}
  for (var chunk = first_chunk; chunk < end_chunk; chunk++) {
    var acc = array<i32, 32>();
    for (var t = 0u; t < params.d; t += DEPTH) {
      if (lindex < QT * DEPTH / 4u) {
        let q = q0 + lindex / (DEPTH / 4u);
        let j0 = t + (lindex % (DEPTH / 4u)) * 4u;
        var v = vec4<i32>();
        for (var c = 0u; c < 4u; c++) {
          if (q < params.m && j0 + c < params.d) { v[c] = raw_queryCodes(q * params.d + j0 + c); }
        }
        q_tile[lindex] = v;
      }
      workgroupBarrier();
      for (var r = 0u; r < 4u; r++) {
        let b = chunk * CH + lindex + r * 64u;
        if (b < params.n) {
          for (var w = 0u; w < DEPTH / 4u; w++) {
            let word = t / 4u + w;
            if (word < params.words) {
              let x = codes[b * params.words + word];
              let c = vec4<i32>(i32(x & 0xffu), i32((x >> 8u) & 0xffu), i32((x >> 16u) & 0xffu), i32(x >> 24u));
              for (var qi = 0u; qi < QT; qi++) {
                acc[r * 8u + qi] += dot(c, q_tile[qi * (DEPTH / 4u) + w]);
              }
            }
          }
        }
      }
      workgroupBarrier();
    }
    ${chunkKeys('key = f32(acc[r * 8u + qi]) * scales[q0 + qi] + bias[b];')}
    ${runningTopKMergeChunk()}
  }
  ${runningTopKWrite((key) => key)}`,
};
