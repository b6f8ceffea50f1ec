import { createReferenceDescent, createReferenceGraphSearch } from './reference-graph-search.js';
import { PANEL, QUERY_BLOCK } from './flat-scan-kernels.js';
import type { SearchKernelExports } from './search-kernels.js';

const f = Math.fround;

/**
 * The search kernels as plain TypeScript loops over the same memory layouts, with the same f32
 * rounding at every step (products and sums rounded like the SIMD lanes), so they produce the same
 * scores bit for bit. They are the oracle of the SIMD kernels and the path where WebAssembly SIMD
 * is missing. The bounded scans are computed in full here: the bound only skips panels whose full
 * score cannot beat the threshold, so the host sees the same `insert` calls either way.
 */
export function createReferenceKernels(dim: number, buffer: () => ArrayBuffer, insert: (query: number, panel: number) => number): SearchKernelExports {
  const pairs = Math.ceil(dim / 2);

  function scanF32(queries: number, panels: number, count: number, firstPanel: number, queryPtr: number, queryIndex: number, biasPtr: number, thresholdPtr: number, scratch: number): void {
    const memory = new Float32Array(buffer());
    const acc = new Float32Array(PANEL);
    const thresholds = memory.subarray(thresholdPtr >>> 2, (thresholdPtr >>> 2) + queries);
    for (let p = 0; p < count; p++) {
      const panel = (panels >>> 2) + p * dim * PANEL;
      for (let q = 0; q < queries; q++) {
        const query = (queryPtr >>> 2) + q * dim;
        for (let lane = 0; lane < PANEL; lane++) {
          let sum = 0;
          for (let j = 0; j < dim; j++) sum = f(sum + f(memory[query + j]! * memory[panel + j * PANEL + lane]!));
          acc[lane] = f(sum + memory[(biasPtr >>> 2) + p * PANEL + lane]!);
        }
        offer(memory, acc, thresholds, q, scratch, queryIndex + q, firstPanel + p);
      }
    }
  }

  function offer(memory: Float32Array, scores: Float32Array, thresholds: Float32Array, q: number, scratch: number, query: number, panel: number): void {
    let beats = false;
    for (let lane = 0; lane < PANEL; lane++) if (scores[lane]! > thresholds[q]!) beats = true;
    if (!beats) return;
    memory.set(scores, scratch >>> 2);
    thresholds[q] = insert(query, panel);
  }

  function scanI8(queries: number, codes: number, count: number, firstPanel: number, queryPtr: number, queryIndex: number, biasPtr: number, thresholdPtr: number, scratch: number, scalePtr: number): void {
    const bytes = new Uint8Array(buffer());
    const halves = new Int16Array(buffer());
    const memory = new Float32Array(buffer());
    const thresholds = memory.subarray(thresholdPtr >>> 2, (thresholdPtr >>> 2) + queries);
    const scores = new Float32Array(PANEL);
    for (let p = 0; p < count; p++) {
      const panel = codes + p * pairs * 16;
      for (let q = 0; q < queries; q++) {
        const query = (queryPtr >>> 1) + q * pairs * 2;
        const scale = memory[(scalePtr >>> 2) + q]!;
        for (let lane = 0; lane < PANEL; lane++) {
          let sum = 0;
          for (let j = 0; j < pairs; j++) {
            const at = panel + j * 16 + lane * 2;
            sum += bytes[at]! * halves[query + 2 * j]! + bytes[at + 1]! * halves[query + 2 * j + 1]!;
          }
          scores[lane] = f(f(f(sum) * scale) + memory[(biasPtr >>> 2) + p * PANEL + lane]!);
        }
        offer(memory, scores, thresholds, q, scratch, queryIndex + q, firstPanel + p);
      }
    }
  }

  /** dot(query, row id) + bias[id], summed in gather_keys' order: 4 accumulators, then lanes (0+1)+(2+3). */
  function rowKey(memory: Float32Array, rows: number, stride: number, query: number, id: number, bias: number): number {
    const chunks = Math.ceil(dim / 4);
    const accumulators = Math.min(4, chunks);
    const acc = new Float32Array(accumulators * 4);
    const row = (rows + id * stride) >>> 2;
    for (let c = 0; c < chunks; c++) {
      const a = (c % accumulators) * 4;
      for (let lane = 0; lane < 4; lane++) acc[a + lane] = f(acc[a + lane]! + f(memory[row + c * 4 + lane]! * memory[(query >>> 2) + c * 4 + lane]!));
    }
    const sum = new Float32Array(4);
    for (let lane = 0; lane < 4; lane++) {
      let s = acc[lane]!;
      for (let a = 1; a < accumulators; a++) s = f(s + acc[a * 4 + lane]!);
      sum[lane] = s;
    }
    return f(f(f(sum[0]! + sum[1]!) + f(sum[2]! + sum[3]!)) + memory[(bias >>> 2) + id]!);
  }

  return {
    scan_f32_q1: (...a) => scanF32(1, ...a),
    scan_f32_qb: (...a) => scanF32(QUERY_BLOCK, ...a),
    scan_f32_q1_bounded: (panels, count, firstPanel, queries, queryIndex, bias, thresholds, scratch) => scanF32(1, panels, count, firstPanel, queries, queryIndex, bias, thresholds, scratch),
    scan_f32_qb_bounded: (panels, count, firstPanel, queries, queryIndex, bias, thresholds, scratch) => scanF32(QUERY_BLOCK, panels, count, firstPanel, queries, queryIndex, bias, thresholds, scratch),
    scan_i8_q1: (...a) => scanI8(1, ...a),
    scan_i8_qb: (...a) => scanI8(QUERY_BLOCK, ...a),
    decode_f16(src, dst, groups) {
      const halves = new Uint16Array(buffer());
      const out = new Uint32Array(buffer());
      for (let i = 0; i < groups * PANEL; i++) out[(dst >>> 2) + i] = decodeF16Bits(halves[(src >>> 1) + i]!);
    },
    gather_keys(rows, stride, query, ids, count, bias, out) {
      const memory = new Float32Array(buffer());
      const idList = new Int32Array(buffer());
      for (let i = 0; i < count; i++) memory[(out >>> 2) + i] = rowKey(memory, rows, stride, query, idList[(ids >>> 2) + i]!, bias);
    },
    search_layer0: createReferenceGraphSearch(buffer, (query, rows, stride, id, bias) => rowKey(new Float32Array(buffer()), rows, stride, query, id, bias)),
    search_upper: createReferenceDescent(buffer, (query, rows, stride, id, bias) => rowKey(new Float32Array(buffer()), rows, stride, query, id, bias)),
  };
}

/** f16 bits → f32 bits for normal numbers and zero (subnormals read as zero), as the SIMD decoder does. */
export function decodeF16Bits(h: number): number {
  if ((h & 0x7c00) === 0) return (h & 0x8000) << 16;
  return ((((h & 0x7fff) << 13) + 0x38000000) | ((h & 0x8000) << 16)) >>> 0;
}
