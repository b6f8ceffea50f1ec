import type { WgslProgram } from '../../kernel.js';
import { f32ChunkScoreDeclarations, f32ChunkScores } from '../../kernels-shared/f32-chunk-scores.wgsl.js';
import { FUSED_QUERY_TILE, runningTopKDeclarations, runningTopKInit, runningTopKMergeChunk, runningTopKSliceBounds, runningTopKWrite } from '../../kernels-shared/running-top-k.wgsl.js';
import { flatTopKDims, type FlatTopKAttrs } from './flat-top-k.shape.js';

// One workgroup of 64 invocations per tile of 8 queries (and slice of the base) walks the base
// 256 vectors at a time, scoring each chunk as similarity-top-k does (f32-chunk-scores.wgsl.ts);
// the chunk's keys then merge into the queries' running lists (running-top-k.wgsl.ts).

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
  declarations: () => `${runningTopKDeclarations()}${f32ChunkScoreDeclarations()}`,
  body: ({ attrs: { metric } }) => `
  let q0 = wid.x * QT;
  let neg_inf = bitcast<f32>(params.neg_inf);
  ${runningTopKInit()}
  ${runningTopKSliceBounds()}
  for (var chunk = first_chunk; chunk < end_chunk; chunk++) {
    ${f32ChunkScores(metric)}
    ${runningTopKMergeChunk()}
  }
  ${runningTopKWrite((key) => (metric === 'l2' ? `-${key}` : key))}`,
};
