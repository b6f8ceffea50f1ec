/**
 * 8×8 inverse DCT in floating point by the Arai–Agui–Nakajima factorisation (5 multiplications per
 * 8-point pass). Its inputs must be pre-scaled: `aanQuantization` folds the AAN factors into the
 * quantization table, so dequantization and scaling are one multiplication per coefficient.
 */

const AAN = [1, 1.387039845, 1.306562965, 1.175875602, 1, 0.785694958, 0.5411961, 0.275899379];

/** Quantization table (row-major 8×8) times the AAN scale factors and the 1/8 of the 2-D transform. */
export function aanQuantization(table: Int32Array): Float64Array {
  const out = new Float64Array(64);
  for (let row = 0; row < 8; row++) for (let col = 0; col < 8; col++) out[row * 8 + col] = (table[row * 8 + col]! * AAN[row]! * AAN[col]!) / 8;
  return out;
}

/** In place: `block` (64 scaled coefficients, row-major) becomes 64 spatial values, `work` is scratch. */
export function idct8x8(block: Float64Array, work: Float64Array): void {
  for (let c = 0; c < 8; c++) pass(block, c, 8, work, c, 8);
  for (let r = 0; r < 8; r++) pass(work, r * 8, 1, block, r * 8, 1);
}

/** One 8-point inverse transform of in[at + k·stride] into out[to + k·outStride]. */
function pass(input: Float64Array, at: number, stride: number, out: Float64Array, to: number, outStride: number): void {
  const d0 = input[at]!;
  const d1 = input[at + stride]!;
  const d2 = input[at + 2 * stride]!;
  const d3 = input[at + 3 * stride]!;
  const d4 = input[at + 4 * stride]!;
  const d5 = input[at + 5 * stride]!;
  const d6 = input[at + 6 * stride]!;
  const d7 = input[at + 7 * stride]!;
  if (d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0 && d5 === 0 && d6 === 0 && d7 === 0) {
    for (let k = 0; k < 8; k++) out[to + k * outStride] = d0;
    return;
  }
  // Even part.
  const e10 = d0 + d4;
  const e11 = d0 - d4;
  const e13 = d2 + d6;
  const e12 = (d2 - d6) * 1.414213562 - e13;
  const e0 = e10 + e13;
  const e3 = e10 - e13;
  const e1 = e11 + e12;
  const e2 = e11 - e12;
  // Odd part.
  const z13 = d5 + d3;
  const z10 = d5 - d3;
  const z11 = d1 + d7;
  const z12 = d1 - d7;
  const o7 = z11 + z13;
  const o11 = (z11 - z13) * 1.414213562;
  const z5 = (z10 + z12) * 1.847759065;
  const o10 = z5 - z12 * 1.082392200;
  const o12 = z5 - z10 * 2.613125930;
  const o6 = o12 - o7;
  const o5 = o11 - o6;
  const o4 = o10 - o5;
  out[to] = e0 + o7;
  out[to + 7 * outStride] = e0 - o7;
  out[to + outStride] = e1 + o6;
  out[to + 6 * outStride] = e1 - o6;
  out[to + 2 * outStride] = e2 + o5;
  out[to + 5 * outStride] = e2 - o5;
  out[to + 3 * outStride] = e3 + o4;
  out[to + 4 * outStride] = e3 - o4;
}
