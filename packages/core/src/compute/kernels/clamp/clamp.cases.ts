import type { KernelCases } from '../../kernel.js';
import { clamp, type ClampAttrs } from './clamp.js';

export const clampCases: KernelCases<ClampAttrs> = {
  kernel: clamp,
  cases: [
    {
      name: 'ReLU',
      inputs: { x: { shape: [5], dtype: 'f32', data: [-2, -0.5, 0, 0.5, 1e30] } },
      attrs: { min: 0, max: Infinity },
      expected: { out: [0, 0, 0, 0.5, 1e30] },
    },
    {
      name: 'unit interval',
      inputs: { x: { shape: [2, 2], dtype: 'f32', data: [-1, 0.25, 1.5, 1] } },
      attrs: { min: 0, max: 1 },
      expected: { out: [0, 0.25, 1, 1] },
    },
  ],
  random: (rng) => {
    const n = rng.int(1, 20000);
    return [{ name: 'random', inputs: { x: { shape: [n], dtype: 'f32', data: rng.floats(n, -3, 3) } }, attrs: { min: -1, max: rng.uniform(0, 2) } }];
  },
};
