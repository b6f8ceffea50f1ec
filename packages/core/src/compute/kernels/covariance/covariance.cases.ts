import type { KernelCases } from '../../kernel.js';
import { covariance, type CovarianceAttrs } from './covariance.js';

export const covarianceCases: KernelCases<CovarianceAttrs> = {
  kernel: covariance,
  cases: [
    {
      // Columns: x = [1, 2, 3], y = 2x, z = [1, 1, 1]. Means 2, 4, 1.
      name: 'three columns, population',
      inputs: { x: { shape: [3, 3], dtype: 'f32', data: [1, 2, 1, 2, 4, 1, 3, 6, 1] } },
      attrs: {},
      expected: { out: [2 / 3, 4 / 3, 0, 4 / 3, 8 / 3, 0, 0, 0, 0] },
    },
    {
      name: 'sample covariance',
      inputs: { x: { shape: [2, 2], dtype: 'f32', data: [0, 1, 2, -1] } },
      attrs: { correction: 1 },
      expected: { out: [2, -2, -2, 2] },
    },
  ],
  random: (rng) => {
    const n = rng.int(2, 600);
    const d = rng.int(1, 40);
    // An offset far from zero: a one-pass formula would lose the small covariance to cancellation.
    const data = Float32Array.from({ length: n * d }, () => 100 + rng.normal());
    return [{ name: 'random offset data', inputs: { x: { shape: [n, d], dtype: 'f32', data } }, attrs: {} }];
  },
};
