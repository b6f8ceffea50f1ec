/**
 * The WGSL the top-k scans share. similarity-top-k scores one chunk per workgroup and picks the
 * chunk's k best by rounds of chunkBestReduction; the fused flat scans (flat-top-k,
 * flat-top-k-int8) walk the whole base (or a slice of it) CHUNK vectors at a time and keep each
 * query's k best (key, base index) in a sorted list in workgroup memory. After a chunk's keys
 * (larger = better, −∞ = not a candidate) are in `keys`, rounds of a max-reduction (8 invocations
 * per query over 32 keys each, then a 3-step tree) take the chunk's best remaining key per query
 * and insert it into that query's list while it beats the list's k-th key; the rounds stop when no
 * query inserted. Chunks come in index order, so a key equal to one already kept belongs to a
 * higher index and ranks after it: ties go to the lower index, as in the CPU references.
 */

/** Queries one workgroup scores (every base value read serves them all). */
export const FUSED_QUERY_TILE = 8;
/** Base vectors scored per chunk: 64 invocations × 4 each. */
export const FUSED_CHUNK = 256;
/**
 * Largest k of the fused scans: the lists take QUERY_TILE · k (key, index) pairs of workgroup
 * memory beside the chunk's 8 KiB of keys, and 64 keeps the total under WebGPU's 16 KiB minimum.
 */
export const MAX_FUSED_TOP_K = 64;

/** A chunk's keys per query and the max-reduction's scratch. */
export function chunkKeyDeclarations(): string {
  return `
const QT = ${FUSED_QUERY_TILE}u;
const CH = ${FUSED_CHUNK}u;
var<workgroup> keys: array<f32, ${FUSED_QUERY_TILE * FUSED_CHUNK}>;
var<workgroup> red_key: array<f32, 64>;
var<workgroup> red_pos: array<u32, 64>;`;
}

/**
 * Writes this invocation's 4 base vectors × QT queries of keys for chunk \`chunk\` and passes a
 * barrier; \`setKey\` is WGSL that sets \`key\` for a candidate pair (it may use \`r\`, \`qi\`, \`b\`).
 * Masked-out and out-of-range pairs are −∞.
 */
export function chunkKeys(setKey: string): string {
  return `
  for (var r = 0u; r < 4u; r++) {
    let b = chunk * CH + lindex + r * 64u;
    for (var qi = 0u; qi < QT; qi++) {
      var key = neg_inf;
      if (b < params.n && q0 + qi < params.m && raw_mask(b) != 0u) {
        ${setKey}
      }
      keys[qi * CH + lindex + r * 64u] = key;
    }
  }
  workgroupBarrier();`;
}

/**
 * The best remaining key of query \`qi\`'s chunk row: 8 invocations per query (\`sub\`) each find
 * the best of 32 keys, a 3-step tree the best of 8; equal keys go to the lower position. After it
 * the invocation with \`sub == 0\` holds the key in \`red_key[lindex]\`, its position in \`red_pos[lindex]\`.
 */
export function chunkBestReduction(): string {
  return `
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
    }`;
}

export function runningTopKDeclarations(): string {
  return `${chunkKeyDeclarations()}
const KMAX = ${MAX_FUSED_TOP_K}u;
var<workgroup> top_key: array<f32, ${FUSED_QUERY_TILE * MAX_FUSED_TOP_K}>;
var<workgroup> top_pos: array<i32, ${FUSED_QUERY_TILE * MAX_FUSED_TOP_K}>;
var<workgroup> inserted: array<u32, ${FUSED_QUERY_TILE}>;`;
}

/** Empties the lists; needs \`neg_inf\` and \`lindex\`. */
export function runningTopKInit(): string {
  return `
  for (var t = lindex; t < QT * KMAX; t += 64u) {
    top_key[t] = neg_inf;
    top_pos[t] = -1;
  }
  workgroupBarrier();`;
}

/** The chunks of the workgroup's slice: \`for (var chunk = first_chunk; chunk < end_chunk; chunk++)\`. */
export function runningTopKSliceBounds(): string {
  return `
  let first_chunk = min(params.chunks, wid.y * params.slice_chunks);
  let end_chunk = min(params.chunks, first_chunk + params.slice_chunks);`;
}

/**
 * Chunks per slice when the base is split into \`slices\` (1 = the whole base, one pass): each
 * slice yields its own k best per query, for top-k-merge to reduce. Splitting gives a GPU more
 * workgroups than a handful of query tiles would.
 */
export function sliceChunks(n: number, slices: number): number {
  return Math.max(1, Math.ceil(Math.ceil(n / FUSED_CHUNK) / slices));
}

/** Merges the chunk \`chunk\`'s keys into the lists (keys must be written and a barrier passed). */
export function runningTopKMergeChunk(): string {
  return `
  {
    let qi = lindex / 8u;
    let sub = lindex % 8u;
    let row = qi * KMAX;
    loop {
      ${chunkBestReduction()}
      if (sub == 0u) {
        let key = red_key[lindex];
        let pos = red_pos[lindex];
        var took = 0u;
        if (key > top_key[row + params.k - 1u]) {
          var at = params.k - 1u;
          while (at > 0u && top_key[row + at - 1u] < key) {
            top_key[row + at] = top_key[row + at - 1u];
            top_pos[row + at] = top_pos[row + at - 1u];
            at--;
          }
          top_key[row + at] = key;
          top_pos[row + at] = i32(chunk * CH + pos);
          keys[qi * CH + pos] = neg_inf;
          took = 1u;
        }
        inserted[qi] = took;
      }
      let any = workgroupUniformLoad(&inserted);
      var more = 0u;
      for (var i = 0u; i < QT; i++) { more |= any[i]; }
      if (more == 0u) { break; }
    }
  }`;
}

/**
 * Writes the lists to \`values\` / \`indices\` [m, slices, k] at slice \`wid.y\`; \`value\` turns a key
 * into the output value (e.g. \`-key\` for squared distances). Empty places hold (value(−∞), −1).
 */
export function runningTopKWrite(value: (key: string) => string): string {
  return `
  workgroupBarrier();
  for (var t = lindex; t < QT * params.k; t += 64u) {
    let qi = t / params.k;
    let r = t % params.k;
    let q = q0 + qi;
    if (q < params.m) {
      let key = top_key[qi * KMAX + r];
      let o = (q * params.slices + wid.y) * params.k + r;
      values[o] = ${value('key')};
      indices[o] = top_pos[qi * KMAX + r];
    }
  }`;
}
