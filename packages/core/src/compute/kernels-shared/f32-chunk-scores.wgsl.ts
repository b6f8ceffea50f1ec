import type { SimilarityMetric } from './similarity-metric.js';
import { FUSED_QUERY_TILE, chunkKeys } from './running-top-k.wgsl.js';

// Scoring one chunk of f32 base vectors against a tile of queries, as similarity-top-k and
// flat-top-k both do: each invocation holds 4 base vectors × 8 queries of accumulators, the
// queries streaming through workgroup memory DEPTH dimensions at a time (every base value read
// once serves 8 queries).
const DEPTH = 16;

/** The query tile in workgroup memory (beside chunkKeyDeclarations). */
export function f32ChunkScoreDeclarations(): string {
  return `
const DEPTH = ${DEPTH}u;
var<workgroup> q_tile: array<f32, ${FUSED_QUERY_TILE * DEPTH}>;`;
}

/**
 * Scores chunk \`chunk\` for the queries from \`q0\` and writes their keys (larger = better: the
 * similarity, or minus the squared distance for l2) through chunkKeys.
 */
export function f32ChunkScores(metric: SimilarityMetric): string {
  const setKey =
    metric === 'cosine'
      ? 'let norms = sqrt(qq[qi]) * sqrt(xx[r]);\n        key = select(0.0, acc[r * 8u + qi] / norms, norms > 0.0);'
      : metric === 'l2'
        ? 'key = -acc[r * 8u + qi];'
        : 'key = acc[r * 8u + qi];';
  return `
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
              ${metric === 'l2' ? 'let diff = a - x;\n              acc[r * 8u + qi] = fma(diff, diff, acc[r * 8u + qi]);' : 'acc[r * 8u + qi] = fma(a, x, acc[r * 8u + qi]);'}
            }
          }
        }
      }
    }
    workgroupBarrier();
  }
  ${chunkKeys(setKey)}`;
}
