import type { KernelCases } from '../../kernel.js';
import { dropout, type DropoutAttrs } from './dropout.js';

const ramp = Array.from({ length: 8 }, (_, i) => i + 1);

export const dropoutCases: KernelCases<DropoutAttrs> = {
  kernel: dropout,
  cases: [
    { name: 'p = 0 is the identity', inputs: { x: { shape: [2, 4], dtype: 'f32', data: ramp } }, attrs: { p: 0, seed: 7 }, expected: { out: ramp } },
    {
      name: 'p = ½ keeps the hashed elements, doubled',
      inputs: { x: { shape: [8], dtype: 'f32', data: ramp } },
      attrs: { p: 0.5, seed: 3 },
      // Seed 3 keeps elements 1, 2, 3 of these 8 (the hash's fixed values; a change of hash shows here).
      expected: { out: [0, 4, 6, 8, 0, 0, 0, 0] },
    },
  ],
  random: (rng) => {
    const n = rng.int(1, 40000);
    return [{ name: 'random', inputs: { x: { shape: [n], dtype: 'f32', data: rng.floats(n) } }, attrs: { p: rng.uniform(0, 0.9), seed: rng.int(0, 2 ** 31) } }];
  },
};
