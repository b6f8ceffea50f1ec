import type { KernelCases } from '../../kernel.js';
import type { Rng } from '../../random.js';
import { flatTopKInt8, type FlatTopKInt8Attrs } from './flat-top-k-int8.js';
import { int8RowCodes } from './flat-top-k-int8.shape.js';

/** Rows of `d` codes laid out as the kernel reads them: each row padded with zeros to whole words. */
function rows(n: number, d: number, code: (row: number, j: number) => number): Uint8Array {
  const stride = int8RowCodes(d);
  const out = new Uint8Array(n * stride);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) out[r * stride + j] = code(r, j);
  return out;
}

function ones(n: number): Uint8Array {
  return new Uint8Array(n).fill(1);
}

/**
 * Seeded inputs whose arithmetic is exact in f32 (integer sums below 2²⁴, power-of-two scales,
 * bias in the same steps), so ties are real and keys equal bit for bit whatever the rounding.
 */
function randomCase(rng: Rng, name: string, filtered: boolean): Omit<import('../../kernel.js').KernelCase<FlatTopKInt8Attrs>, 'expected'> {
  const m = rng.int(1, 20);
  const n = rng.int(1, 700);
  const d = rng.int(1, 40);
  const levels = rng.int(2, 8); // few code levels: many exact ties
  return {
    name,
    inputs: {
      queryCodes: { shape: [m, d], dtype: 'i16', data: Int16Array.from({ length: m * d }, () => rng.int(-300, 300)) },
      scales: { shape: [m], dtype: 'f32', data: Float32Array.from({ length: m }, () => 2 ** -rng.int(0, 8)) },
      codes: { shape: [n, int8RowCodes(d)], dtype: 'u8', data: rows(n, d, () => Math.round((rng.int(0, levels) * 255) / levels)) },
      bias: { shape: [n], dtype: 'f32', data: Float32Array.from({ length: n }, () => (filtered && rng.next() < 0.1 ? -Infinity : -rng.int(0, 64) / 8)) },
      mask: { shape: [n], dtype: 'u8', data: Uint8Array.from({ length: n }, () => (rng.next() < (filtered ? 0.7 : 1) ? 1 : 0)) },
    },
    attrs: { k: rng.int(1, 64), slices: rng.int(1, 3) },
  };
}

export const flatTopKInt8Cases: KernelCases<FlatTopKInt8Attrs> = {
  kernel: flatTopKInt8,
  cases: [
    {
      name: 'codes × query codes, scaled, plus bias; d = 5 pads rows to 8 codes',
      inputs: {
        queryCodes: { shape: [2, 5], dtype: 'i16', data: [1, 0, 0, 0, 2, -1, 1, 0, 0, 0] },
        scales: { shape: [2], dtype: 'f32', data: [0.5, 2] },
        codes: { shape: [3, 8], dtype: 'u8', data: [10, 0, 0, 0, 1, 0, 0, 0, 0, 4, 0, 0, 3, 0, 0, 0, 255, 255, 0, 0, 0, 0, 0, 0] },
        bias: { shape: [3], dtype: 'f32', data: [0, 1, -100] },
        mask: { shape: [3], dtype: 'u8', data: [1, 1, 1] },
      },
      attrs: { k: 2 },
      // query 0: (10 + 2)·0.5 = 6, (0 + 6)·0.5 + 1 = 4, 255·0.5 − 100 = 27.5; query 1: −20, 9, −100
      expected: { values: [27.5, 6, 9, -20], indices: [2, 0, 1, 0] },
    },
    {
      name: 'masked-out rows and rows with bias −∞ never count; short lists pad with (−∞, −1)',
      inputs: {
        queryCodes: { shape: [1, 1], dtype: 'i16', data: [1] },
        scales: { shape: [1], dtype: 'f32', data: [1] },
        codes: { shape: [3, 4], dtype: 'u8', data: [9, 0, 0, 0, 8, 0, 0, 0, 7, 0, 0, 0] },
        bias: { shape: [3], dtype: 'f32', data: [0, -Infinity, 0] },
        mask: { shape: [3], dtype: 'u8', data: [0, 1, 1] },
      },
      attrs: { k: 3 },
      expected: { values: [7, -Infinity, -Infinity], indices: [2, -1, -1] },
    },
    {
      name: 'equal keys across chunks keep the lower index (300 equal rows)',
      inputs: {
        queryCodes: { shape: [1, 2], dtype: 'i16', data: [3, -1] },
        scales: { shape: [1], dtype: 'f32', data: [1] },
        codes: { shape: [300, 4], dtype: 'u8', data: rows(300, 2, () => 4) },
        bias: { shape: [300], dtype: 'f32', data: new Float32Array(300) },
        mask: { shape: [300], dtype: 'u8', data: ones(300) },
      },
      attrs: { k: 2 },
      expected: { values: [8, 8], indices: [0, 1] },
    },
  ],
  random: (rng) => [randomCase(rng, 'random (exact ties)', false), randomCase(rng, 'random with a mask and −∞ bias', true)],
};
