import type { DType } from '../../dtype.js';
import type { KernelCases } from '../../kernel.js';
import type { Rng } from '../../random.js';
import { COORDINATE_TRANSFORMS } from '../resize-bilinear/resize-bilinear.js';
import { nearestIndices } from './nearest-indices.js';
import { resizeNearestKernel } from './resize-nearest.js';

const table = (values: readonly number[]) => ({ shape: [values.length], dtype: 'i32' as const, data: values });

function pixels(rng: Rng, dtype: DType, n: number): number[] | Float32Array {
  switch (dtype) {
    case 'u8':
      return Array.from({ length: n }, () => rng.int(0, 255));
    case 'u16':
      return Array.from({ length: n }, () => rng.int(0, 65535));
    case 'i16':
      return Array.from({ length: n }, () => rng.int(-1024, 3071));
    default:
      return rng.floats(n, -3, 3);
  }
}

export const resizeNearestCases: KernelCases<Record<string, never>> = {
  kernel: resizeNearestKernel,
  cases: [
    {
      // 2×2 → 4×4 half_pixel: sources (o + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25 → 0, 0, 1, 1.
      name: 'upscale ×2 of two planes (u8)',
      inputs: { x: { shape: [2, 2, 2], dtype: 'u8', data: [10, 20, 30, 40, 1, 2, 3, 4] }, rows: table([0, 0, 1, 1]), cols: table([0, 0, 1, 1]) },
      attrs: {},
      expected: { out: [10, 10, 20, 20, 10, 10, 20, 20, 30, 30, 40, 40, 30, 30, 40, 40, 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4] },
    },
    {
      name: 'downscale picks rows and columns; indices outside the plane are clamped (f32)',
      inputs: { x: { shape: [3, 3], dtype: 'f32', data: [1, 2, 3, 4, 5, 6, 7, 8, 9.5] }, rows: table([2, -1]), cols: table([7, 1]) },
      attrs: {},
      expected: { out: [9.5, 8, 3, 2] },
    },
    {
      name: 'CT values (i16) keep their sign',
      inputs: { x: { shape: [1, 1, 2, 2], dtype: 'i16', data: [-1024, 40, 3071, -1] }, rows: table([1]), cols: table([0, 1, 1]) },
      attrs: {},
      expected: { out: [3071, -1, -1] },
    },
  ],
  random: (rng) =>
    (['u8', 'u16', 'i16', 'f32'] as const).map((dtype) => {
      const [planes, inHeight, inWidth, height, width] = [rng.int(1, 4), rng.int(1, 70), rng.int(1, 70), rng.int(1, 90), rng.int(1, 90)];
      const mode = COORDINATE_TRANSFORMS[rng.int(0, COORDINATE_TRANSFORMS.length - 1)]!;
      return {
        name: `random ${dtype} ${planes}×${inHeight}×${inWidth} → ${height}×${width} (${mode})`,
        inputs: {
          x: { shape: [planes, inHeight, inWidth], dtype, data: pixels(rng, dtype, planes * inHeight * inWidth) },
          rows: table(Array.from(nearestIndices(mode, inHeight, height))),
          cols: table(Array.from(nearestIndices(mode, inWidth, width))),
        },
        attrs: {},
      };
    }),
};
