import type { WgslProgram } from '../../kernel.js';
import { CHUNK, QUERY_TILE, similarityTopKDims, type SimilarityTopKAttrs } from './similarity-top-k.shape.js';

// One workgroup of 64 invocations scores QUERY_TILE queries against a chunk of CHUNK base vectors:
// each invocation holds 4 base vectors × 8 queries of accumulators, the queries streaming through
// workgroup memory DEPTH dimensions at a time (every base value read once serves 8 queries).
// The chunk's scores then go to workgroup memory, and k rounds of a max-reduction (8 invocations
// per query, then a 3-step tree) pick that chunk's k best for every query. top-k-merge combines
// the chunks.
const DEPTH = 16;

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
  declarations: () => `
const QT = ${QUERY_TILE}u;
const CH = ${CHUNK}u;
const DEPTH = ${DEPTH}u;
var<workgroup> q_tile: array<f32, ${QUERY_TILE * DEPTH}>;
var<workgroup> keys: array<f32, ${QUERY_TILE * CHUNK}>;
var<workgroup> red_key: array<f32, 64>;
var<workgroup> red_pos: array<u32, 64>;`,
  body: ({ attrs: { metric } }) => `
  let chunk = wid.x;
  let q0 = wid.y * QT;
  let neg_inf = bitcast<f32>(params.neg_inf);
  var acc: array<f32, 32>;
  var xx: array<f32, 4>;
  var qq: array<f32, 8>;
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
  // Keys (larger = better) of this invocation's 4 × 8 pairs; masked-out and out-of-range pairs are −∞.
  for (var r = 0u; r < 4u; r++) {
    let b = chunk * CH + lindex + r * 64u;
    for (var qi = 0u; qi < QT; qi++) {
      var key = neg_inf;
      if (b < params.n && q0 + qi < params.m && raw_mask(b) != 0u) {
        ${
          metric === 'cosine'
            ? 'let norms = sqrt(qq[qi]) * sqrt(xx[r]);\n        key = select(0.0, acc[r * 8u + qi] / norms, norms > 0.0);'
            : metric === 'l2'
              ? 'key = -acc[r * 8u + qi];'
              : 'key = acc[r * 8u + qi];'
        }
      }
      keys[qi * CH + lindex + r * 64u] = key;
    }
  }
  workgroupBarrier();
  // k rounds: 8 invocations per query each find the best of 32 keys, a tree finds the best of 8,
  // its slot is knocked out. Equal keys go to the lower position.
  let qi = lindex / 8u;
  let sub = lindex % 8u;
  for (var round = 0u; round < params.k; round++) {
    var best = keys[qi * CH + sub * 32u];
    var best_pos = sub * 32u;
    for (var e = 1u; e < 32u; e++) {
      let pos = sub * 32u + e;
      let v = keys[qi * CH + pos];
      if (v > best) { best = v; best_pos = pos; }
    }
    red_key[lindex] = best;
    red_pos[lindex] = best_pos;
    workgroupBarrier();
    for (var stride = 4u; stride > 0u; stride = stride / 2u) {
      if (sub < stride) {
        let other = red_key[lindex + stride];
        let other_pos = red_pos[lindex + stride];
        let mine = red_key[lindex];
        if (other > mine || (other == mine && other_pos < red_pos[lindex])) {
          red_key[lindex] = other;
          red_pos[lindex] = other_pos;
        }
      }
      workgroupBarrier();
    }
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
