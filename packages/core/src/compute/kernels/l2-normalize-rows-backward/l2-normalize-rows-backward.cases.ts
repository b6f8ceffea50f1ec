import type { KernelCases } from '../../kernel.js';
import { l2NormalizeRowsBackward } from './l2-normalize-rows-backward.js';

export const l2NormalizeRowsBackwardCases: KernelCases<unknown> = {
  kernel: l2NormalizeRowsBackward,
  cases: [
    {
      // Row 0: x = (3, 4), y = (0.6, 0.8); dy = (1, 0): y·dy = 0.6, dx = ((1, 0) − 0.6·(0.6, 0.8)) / 5 = (0.128, −0.096).
      // Row 1: dy along y has no effect on the direction: zero gradient.
      name: 'the component of dy along y is removed and the rest divided by the norm',
      inputs: {
        y: { shape: [2, 2], dtype: 'f32', data: [0.6, 0.8, 1, 0] },
        norm: { shape: [2], dtype: 'f32', data: [5, 2] },
        dy: { shape: [2, 2], dtype: 'f32', data: [1, 0, 3, 0] },
      },
      attrs: {},
      expected: { dx: [0.128, -0.096, 0, 0] },
    },
  ],
  random: (rng) => {
    const rows = rng.int(1, 300);
    const columns = rng.int(1, 300);
    const y = rng.floats(rows * columns, -1, 1);
    for (let r = 0; r < rows; r++) {
      const row = y.subarray(r * columns, (r + 1) * columns);
      const length = Math.hypot(...row) || 1;
      row.forEach((v, c) => (row[c] = v / length));
    }
    return [
      {
        name: 'random unit rows, norms and gradients',
        inputs: {
          y: { shape: [rows, columns], dtype: 'f32', data: y },
          norm: { shape: [rows], dtype: 'f32', data: rng.floats(rows, 0.1, 10) },
          dy: { shape: [rows, columns], dtype: 'f32', data: rng.floats(rows * columns, -1, 1) },
        },
        attrs: {},
      },
    ];
  },
};
