import type { KernelCases } from '../../kernel.js';
import { squaredNorm } from './squared-norm.js';

export const squaredNormCases: KernelCases<Record<string, never>> = {
  kernel: squaredNorm,
  cases: [
    { name: '3² + 4² onto 0', inputs: { x: { shape: [2], dtype: 'f32', data: [3, -4] }, acc: { shape: [1], dtype: 'f32', data: [0] } }, attrs: {}, expected: { out: [25] } },
    {
      name: 'chained onto an accumulator',
      inputs: { x: { shape: [2, 2], dtype: 'f32', data: [1, 1, 1, 1] }, acc: { shape: [1], dtype: 'f32', data: [2.5] } },
      attrs: {},
      expected: { out: [6.5] },
    },
    { name: 'empty tensor adds nothing', inputs: { x: { shape: [0], dtype: 'f32', data: [] }, acc: { shape: [1], dtype: 'f32', data: [1] } }, attrs: {}, expected: { out: [1] } },
  ],
  random: (rng) => {
    const n = rng.int(1, 100000);
    return [{ name: 'random', inputs: { x: { shape: [n], dtype: 'f32', data: rng.floats(n) }, acc: { shape: [1], dtype: 'f32', data: [rng.uniform(0, 10)] } }, attrs: {} }];
  },
};
