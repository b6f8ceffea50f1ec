import type { KernelCases } from '../../kernel.js';
import { globalAveragePool } from './global-average-pool.js';

export const globalAveragePoolCases: KernelCases<Record<string, never>> = {
  kernel: globalAveragePool,
  cases: [
    {
      name: 'two images, two channels',
      inputs: { x: { shape: [2, 2, 1, 2], dtype: 'f32', data: [1, 3, 10, 20, -1, -2, 0, 7] } },
      attrs: {},
      expected: { out: [2, 15, -1.5, 3.5] },
    },
    { name: 'one spatial axis', inputs: { x: { shape: [1, 1, 3], dtype: 'f32', data: [3, 4, 8] } }, attrs: {}, expected: { out: [5] } },
  ],
  random: (rng) => {
    const shape = [rng.int(1, 8), rng.int(1, 70), rng.int(1, 12), rng.int(1, 12)];
    return [{ name: `random [${shape.join(', ')}]`, inputs: { x: { shape, dtype: 'f32', data: rng.floats(shape.reduce((a, b) => a * b, 1)) } }, attrs: {} }];
  },
};
