import type { KernelCases } from '../../kernel.js';
import { ntXent, type NtXentAttrs } from './nt-xent.js';

const { exp, log } = Math;

export const ntXentCases: KernelCases<NtXentAttrs> = {
  kernel: ntXent,
  cases: [
    {
      // Rows 0 and 1 are two views of one image, row 2 another image alone. Row 0 sees logits
      // (s01, s02)/τ = (2, 0): loss log(e² + 1) − 2; softmax (e²/(e²+1), 1/(e²+1)) minus the target (1, 0).
      name: 'SimCLR pair at τ ½: one positive, one negative',
      inputs: {
        similarity: { shape: [3, 3], dtype: 'f32', data: [1, 1, 0, 1, 1, 0, 0, 0, 1] },
        labels: { shape: [3], dtype: 'i32', data: [7, 7, 9] },
      },
      attrs: { temperature: 0.5 },
      expected: {
        grad: [0, 2 * (exp(2) / (exp(2) + 1) - 1), 2 / (exp(2) + 1), 2 * (exp(2) / (exp(2) + 1) - 1), 0, 2 / (exp(2) + 1), 0, 0, 0],
        loss: [log(exp(2) + 1) - 2, log(exp(2) + 1) - 2, 0],
      },
    },
    {
      // Equal similarities: every row's softmax is uniform (⅓ over three others); row 0 has two
      // positives (rows 1, 2) sharing the target ½ each, row 3 none. scale ½ halves everything.
      name: 'SupCon: two positives share the target; a row without positives is silent',
      inputs: {
        similarity: { shape: [4, 4], dtype: 'f32', data: new Array<number>(16).fill(0.3) },
        labels: { shape: [4], dtype: 'i32', data: [1, 1, 1, 2] },
      },
      attrs: { temperature: 1, scale: 0.5 },
      expected: {
        grad: [0, -1 / 12, -1 / 12, 1 / 6, -1 / 12, 0, -1 / 12, 1 / 6, -1 / 12, -1 / 12, 0, 1 / 6, 0, 0, 0, 0],
        loss: [0.5 * log(3), 0.5 * log(3), 0.5 * log(3), 0],
      },
    },
    {
      name: 'a small temperature does not overflow (logits of 1/0.01 = 100)',
      inputs: {
        similarity: { shape: [2, 2], dtype: 'f32', data: [1, 1, 1, 1] },
        labels: { shape: [2], dtype: 'i32', data: [0, 0] },
      },
      attrs: { temperature: 0.01 },
      expected: { grad: [0, 0, 0, 0], loss: [0, 0] },
    },
  ],
  random: (rng) => {
    const rows = rng.int(2, 200);
    const groups = rng.int(1, Math.max(1, rows >> 1));
    return [
      {
        name: 'random cosine similarities, labels and temperature',
        inputs: {
          similarity: { shape: [rows, rows], dtype: 'f32', data: rng.floats(rows * rows, -1, 1) },
          labels: { shape: [rows], dtype: 'i32', data: Int32Array.from({ length: rows }, () => rng.int(0, groups - 1)) },
        },
        attrs: { temperature: rng.uniform(0.05, 1), scale: 1 / rows },
      },
    ];
  },
};
