import type { KernelCase, KernelCases } from '../../kernel.js';
import { hammingNearest } from './hamming-nearest.js';

export const hammingNearestCases: KernelCases<Record<string, never>> = {
  kernel: hammingNearest,
  cases: [
    {
      // Distances to 0b0000, 0b1111, 0b0011: 0b0001 → 1, 3, 1 (tie: 0); 0b0111 → 3, 1, 1 (tie: 1);
      // all 32 bits set → 32, 28, 30.
      name: 'one word: the nearest row, the lowest index on ties',
      inputs: { x: { shape: [3, 1], dtype: 'i32', data: [0b0001, 0b0111, -1] }, codebook: { shape: [3, 1], dtype: 'i32', data: [0b0000, 0b1111, 0b0011] } },
      attrs: {},
      expected: { out: [0, 1, 1] },
    },
    {
      // Distances sum over words: row 0 differs from code 0 by 1 + 32 bits, from code 1 by 2.
      name: 'distances add up over the words of a row',
      inputs: { x: { shape: [2, 2], dtype: 'i32', data: [1, 0, -1, -1] }, codebook: { shape: [2, 2], dtype: 'i32', data: [0, -1, 2, 0] } },
      attrs: {},
      expected: { out: [1, 0] },
    },
  ],
  random: (rng) => {
    const cases: Omit<KernelCase<Record<string, never>>, 'expected'>[] = [];
    for (const words of [1, 8]) {
      const [rows, codes] = [rng.int(1, 300), rng.int(1, 40)];
      // Codes are perturbed copies of a few bases, so distances tie often.
      const bases = Array.from({ length: 3 * words }, () => rng.int(-(2 ** 31), 2 ** 31 - 1));
      const row = () => Array.from({ length: words }, (_, w) => bases[rng.int(0, 2) * words + w]! ^ (1 << rng.int(0, 31)));
      cases.push({
        name: `random ${rows} rows × ${codes} codes of ${words} words`,
        inputs: { x: { shape: [rows, words], dtype: 'i32', data: Array.from({ length: rows }, row).flat() }, codebook: { shape: [codes, words], dtype: 'i32', data: Array.from({ length: codes }, row).flat() } },
        attrs: {},
      });
    }
    return cases;
  },
};
