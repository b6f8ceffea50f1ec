import type { KernelCases } from '../../kernel.js';
import { l2NormalizeRows } from './l2-normalize-rows.js';

export const l2NormalizeRowsCases: KernelCases<unknown> = {
  kernel: l2NormalizeRows,
  cases: [
    {
      name: 'a 3-4-5 row, a unit row, and a zero row that stays zero',
      inputs: { x: { shape: [3, 2], dtype: 'f32', data: [3, 4, 0, -1, 0, 0] } },
      attrs: {},
      expected: { out: [0.6, 0.8, 0, -1, 0, 0], norm: [5, 1, 0] },
    },
  ],
  random: (rng) => {
    const rows = rng.int(1, 300);
    const columns = rng.int(1, 300);
    return [{ name: 'random rows', inputs: { x: { shape: [rows, columns], dtype: 'f32', data: rng.floats(rows * columns, -3, 3) } }, attrs: {} }];
  },
};
