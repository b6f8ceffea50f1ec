import type { KernelCase, KernelCases } from '../../kernel.js';
import { siftDescriptor } from './sift-descriptor.js';

/**
 * On a 3×3 image only the centre sample lies inside (gradients need both neighbours): at the
 * keypoint itself the grid coordinate is (1.5, 1.5), so its magnitude m is spread m/4 over cells
 * (1, 1), (1, 2), (2, 1), (2, 2). Norm 2·m/4 → each clipped to 0.2 of it, renormalised: 512/2 = 256.
 */
function fourCells(bin: number): number[] {
  const out = new Array<number>(128).fill(0);
  for (const cell of [5, 6, 9, 10]) out[cell * 8 + bin] = 256;
  return out;
}

export const siftDescriptorCases: KernelCases<Record<string, never>> = {
  kernel: siftDescriptor,
  cases: [
    {
      name: 'a flat level gives a zero descriptor',
      inputs: { level: { shape: [1, 9, 9], dtype: 'f32', data: new Array<number>(81).fill(40) }, keypoints: { shape: [1, 5], dtype: 'f32', data: [0, 4, 4, 30, 1] } },
      attrs: {},
      expected: { out: new Array<number>(128).fill(0) },
    },
    {
      // Image 0: the centre's gradient points right (0°); image 1: up (90°, y up), seen by a keypoint
      // oriented at 90°; the third keypoint is oriented at 315°, so 0° is 45° past it: bin 1.
      name: 'the gradient lands in the orientation bin relative to the keypoint',
      inputs: {
        level: { shape: [2, 3, 3], dtype: 'f32', data: [0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0] },
        keypoints: { shape: [3, 5], dtype: 'f32', data: [0, 1, 1, 0, 1, 1, 1.2, 0.9, 90, 1, 0, 1, 1, 315, 1] },
      },
      attrs: {},
      expected: { out: [...fourCells(0), ...fourCells(0), ...fourCells(1)] },
    },
  ],
  random: (rng) => {
    const cases: Omit<KernelCase<Record<string, never>>, 'expected'>[] = [];
    const [n, height, width] = [2, rng.int(12, 40), rng.int(12, 40)];
    const level = Array.from({ length: n * height * width }, () => rng.uniform(0, 255));
    const count = rng.int(1, 70);
    const keypoints: number[] = [];
    for (let k = 0; k < count; k++) keypoints.push(rng.int(0, n - 1), rng.uniform(2, width - 3), rng.uniform(2, height - 3), rng.uniform(0, 360), rng.uniform(1, 3));
    cases.push({ name: `random ${count} keypoints on [${n}, ${height}, ${width}]`, inputs: { level: { shape: [n, height, width], dtype: 'f32', data: level }, keypoints: { shape: [count, 5], dtype: 'f32', data: keypoints } }, attrs: {} });
    return cases;
  },
};
