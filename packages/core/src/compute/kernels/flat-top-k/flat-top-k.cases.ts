import type { KernelCase, KernelCases } from '../../kernel.js';
import type { Rng } from '../../random.js';
import { flatTopK, type FlatTopKAttrs } from './flat-top-k.js';

const queries = { shape: [2, 2], dtype: 'f32' as const, data: [1, 0, 0, 1] };
const base = { shape: [4, 2], dtype: 'f32' as const, data: [2, 0, 0, 3, 1, 1, -1, 0] };
const all = { shape: [4], dtype: 'u8' as const, data: [1, 1, 1, 1] };

/** Multiples of 1/4 in [−1, 1]: dot products and squared distances are exact in f32, so ties are exact too. */
function quarters(rng: Rng, length: number): Float32Array {
  return Float32Array.from({ length }, () => rng.int(-4, 4) / 4);
}

function mask(rng: Rng, n: number, keep: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => (rng.next() < keep ? 1 : 0));
}

export const flatTopKCases: KernelCases<FlatTopKAttrs> = {
  kernel: flatTopK,
  cases: [
    {
      name: 'dot, k = 2',
      inputs: { queries, base, mask: all },
      attrs: { metric: 'dot', k: 2 },
      expected: { values: [2, 1, 3, 1], indices: [0, 2, 1, 2] },
    },
    {
      name: 'squared L2, smallest first; masked-out vector 2 never counts',
      inputs: { queries, base, mask: { shape: [4], dtype: 'u8', data: [1, 1, 0, 1] } },
      attrs: { metric: 'l2', k: 2 },
      expected: { values: [1, 4, 2, 4], indices: [0, 3, 3, 1] },
    },
    {
      name: 'cosine; fewer candidates than k pads with (−∞, −1)',
      inputs: { queries, base, mask: { shape: [4], dtype: 'u8', data: [0, 1, 1, 0] } },
      attrs: { metric: 'cosine', k: 3 },
      expected: { values: [Math.SQRT1_2, 0, -Infinity, 1, Math.SQRT1_2, -Infinity], indices: [2, 1, -1, 1, 2, -1] },
    },
    {
      name: 'equal scores across chunks keep the lower index (300 equal vectors, two chunks)',
      inputs: { queries: { shape: [1, 1], dtype: 'f32', data: [1] }, base: { shape: [300, 1], dtype: 'f32', data: new Float32Array(300).fill(5) }, mask: { shape: [300], dtype: 'u8', data: new Uint8Array(300).fill(1) } },
      attrs: { metric: 'dot', k: 3 },
      expected: { values: [5, 5, 5], indices: [0, 1, 2] },
    },
    {
      name: 'later chunks displace earlier hits (the best vectors are the last ones)',
      inputs: {
        queries: { shape: [1, 1], dtype: 'f32', data: [1] },
        base: { shape: [600, 1], dtype: 'f32', data: Float32Array.from({ length: 600 }, (_, i) => i) },
        mask: { shape: [600], dtype: 'u8', data: new Uint8Array(600).fill(1) },
      },
      attrs: { metric: 'dot', k: 3 },
      expected: { values: [599, 598, 597], indices: [599, 598, 597] },
    },
    {
      name: 'three slices of the base keep their own k best (600 ascending vectors)',
      inputs: {
        queries: { shape: [1, 1], dtype: 'f32', data: [1] },
        base: { shape: [600, 1], dtype: 'f32', data: Float32Array.from({ length: 600 }, (_, i) => i) },
        mask: { shape: [600], dtype: 'u8', data: new Uint8Array(600).fill(1) },
      },
      attrs: { metric: 'dot', k: 2, slices: 3 },
      expected: { values: [255, 254, 511, 510, 599, 598], indices: [255, 254, 511, 510, 599, 598] },
    },
  ],
  random: (rng) => {
    const m = rng.int(1, 20);
    const n = rng.int(1, 700);
    const d = rng.int(1, 40);
    const cases: Omit<KernelCase<FlatTopKAttrs>, 'expected'>[] = (['dot', 'l2'] as const).map((metric) => ({
      name: `random ${metric} (quarter steps, exact ties)`,
      inputs: {
        queries: { shape: [m, d], dtype: 'f32' as const, data: quarters(rng, m * d) },
        base: { shape: [n, d], dtype: 'f32' as const, data: quarters(rng, n * d) },
        mask: { shape: [n], dtype: 'u8' as const, data: mask(rng, n, 0.8) },
      },
      attrs: { metric, k: rng.int(1, 64), slices: rng.int(1, 4) },
    }));
    // Cosine divides, so scores are not exact; continuous values in 8+ dimensions make near-ties
    // improbable (in one dimension every cosine is ±1 and the order would rest on rounding).
    const cm = rng.int(1, 6);
    const cn = rng.int(1, 300);
    const cd = rng.int(8, 40);
    cases.push({
      name: 'random cosine',
      inputs: {
        queries: { shape: [cm, cd], dtype: 'f32', data: rng.floats(cm * cd) },
        base: { shape: [cn, cd], dtype: 'f32', data: rng.floats(cn * cd) },
        mask: { shape: [cn], dtype: 'u8', data: mask(rng, cn, 0.9) },
      },
      attrs: { metric: 'cosine', k: rng.int(1, 8) },
    });
    return cases;
  },
};
