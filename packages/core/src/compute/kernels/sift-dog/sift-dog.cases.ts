import type { KernelCase, KernelCases } from '../../kernel.js';
import { siftDog } from './sift-dog.js';

export const siftDogCases: KernelCases<Record<string, never>> = {
  kernel: siftDog,
  cases: [
    {
      name: 'upper minus lower, signs kept',
      inputs: { upper: { shape: [2, 3], dtype: 'f32', data: [5, 1.5, 0, -2, 255, 7] }, lower: { shape: [2, 3], dtype: 'f32', data: [2, 3.5, 0, -2, 0.25, 8] } },
      attrs: {},
      expected: { out: [3, -2, 0, 0, 254.75, -1] },
    },
  ],
  random: (rng) => {
    const cases: Omit<KernelCase<Record<string, never>>, 'expected'>[] = [];
    const shape = [rng.int(1, 3), rng.int(1, 50), rng.int(1, 50)];
    const size = shape[0]! * shape[1]! * shape[2]!;
    cases.push({ name: `random [${shape.join(', ')}]`, inputs: { upper: { shape, dtype: 'f32', data: Array.from({ length: size }, () => rng.uniform(0, 255)) }, lower: { shape, dtype: 'f32', data: Array.from({ length: size }, () => rng.uniform(0, 255)) } }, attrs: {} });
    return cases;
  },
};
