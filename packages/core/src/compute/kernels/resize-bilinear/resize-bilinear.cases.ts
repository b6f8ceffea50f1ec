import type { DType } from '../../dtype.js';
import type { KernelCase, KernelCases } from '../../kernel.js';
import type { Rng } from '../../random.js';
import { COORDINATE_TRANSFORMS, resizeBilinear, type ResizeBilinearAttrs } from './resize-bilinear.js';

// The 2×2 cases sample f(x, y) = 4x + 8y + 4xy (pixels [[0, 4], [8, 16]]); bilinear reproduces f
// exactly between the samples, so each output is f at the mapped, edge-clamped coordinate.
const F_2X2 = [0, 4, 8, 16];

/** 3×4 pixels for the 1-pixel outputs: only the top-left one is 5. */
const PIXELS_3X4 = [5, 10, 20, 40, 50, 60, 70, 80, 90, 100, 110, 120];

/** Pixel values as a modality stores them: full 8/16-bit ranges, CT Hounsfield units, normalized floats. */
function pixels(rng: Rng, dtype: DType, n: number): number[] | Float32Array {
  switch (dtype) {
    case 'u8':
      return Array.from({ length: n }, () => rng.int(0, 255));
    case 'u16':
      return Array.from({ length: n }, () => rng.int(0, 65535));
    case 'i16':
      return Array.from({ length: n }, () => rng.int(-1024, 3071));
    case 'i32':
      return Array.from({ length: n }, () => rng.int(0, 1 << 20));
    case 'f32':
      return rng.floats(n, -3, 3);
  }
}

export const resizeBilinearCases: KernelCases<ResizeBilinearAttrs> = {
  kernel: resizeBilinear,
  cases: [
    {
      // half_pixel, 2 → 4: x = (o + 0.5)/2 − 0.5 = [−0.25 → 0, 0.25, 0.75, 1.25 → 1]; second plane is +100.
      name: 'half_pixel 2×2 → 4×4, two planes',
      inputs: { x: { shape: [2, 2, 2], dtype: 'u8', data: [...F_2X2, ...F_2X2.map((v) => v + 100)] } },
      attrs: { height: 4, width: 4, coordinateTransform: 'half_pixel' },
      expected: {
        out: [
          ...[0, 1, 3, 4, 2, 3.25, 5.75, 7, 6, 7.75, 11.25, 13, 8, 10, 14, 16],
          ...[100, 101, 103, 104, 102, 103.25, 105.75, 107, 106, 107.75, 111.25, 113, 108, 110, 114, 116],
        ],
      },
    },
    {
      // align_corners, 2 → 4: x = o·(2 − 1)/(4 − 1) = [0, 1/3, 2/3, 1].
      name: 'align_corners 2×2 → 4×4',
      inputs: { x: { shape: [2, 2], dtype: 'i16', data: F_2X2 } },
      attrs: { height: 4, width: 4, coordinateTransform: 'align_corners' },
      expected: {
        out: [0, 4 / 3, 8 / 3, 4, 8 / 3, 40 / 9, 56 / 9, 8, 16 / 3, 68 / 9, 88 / 9, 12, 8, 32 / 3, 40 / 3, 16],
      },
    },
    {
      // asymmetric, 2 → 4: x = o/2 = [0, 0.5, 1, 1.5 → 1].
      name: 'asymmetric 2×2 → 4×4',
      inputs: { x: { shape: [1, 1, 2, 2], dtype: 'f32', data: F_2X2 } },
      attrs: { height: 4, width: 4, coordinateTransform: 'asymmetric' },
      expected: { out: [0, 2, 4, 4, 4, 7, 10, 10, 8, 12, 16, 16, 8, 12, 16, 16] },
    },
    {
      // half_pixel, 4 → 2: x = (o + 0.5)·2 − 0.5 = [0.5, 2.5]: each output is the mean of a 2×2 block.
      name: 'half_pixel downscale 4×4 → 2×2',
      inputs: { x: { shape: [1, 1, 4, 4], dtype: 'u16', data: [0, 10, 20, 30, 40, 50, 60, 70, 1000, 2000, 3000, 4000, 100, 100, 100, 100] } },
      attrs: { height: 2, width: 2 },
      expected: { out: [25, 45, 800, 1800] },
    },
    {
      // asymmetric, 3 → 2 rows and 5 → 2 columns: y = o·3/2 = [0, 1.5], x = o·5/2 = [0, 2.5]; pixels are 10y + x.
      name: 'asymmetric downscale 3×5 → 2×2',
      inputs: { x: { shape: [3, 5], dtype: 'i32', data: [0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 20, 21, 22, 23, 24] } },
      attrs: { height: 2, width: 2, coordinateTransform: 'asymmetric' },
      expected: { out: [0, 2.5, 15, 17.5] },
    },
    {
      // pytorch_half_pixel maps a length-1 output axis to coordinate 0: the top-left pixel.
      name: 'pytorch_half_pixel 3×4 → 1×1',
      inputs: { x: { shape: [3, 4], dtype: 'f32', data: PIXELS_3X4 } },
      attrs: { height: 1, width: 1, coordinateTransform: 'pytorch_half_pixel' },
      expected: { out: [5] },
    },
    {
      // half_pixel samples the centre instead: y = 0.5·3 − 0.5 = 1, x = 0.5·4 − 0.5 = 1.5 → (60 + 70)/2.
      name: 'half_pixel 3×4 → 1×1',
      inputs: { x: { shape: [3, 4], dtype: 'f32', data: PIXELS_3X4 } },
      attrs: { height: 1, width: 1, coordinateTransform: 'half_pixel' },
      expected: { out: [65] },
    },
    {
      // Rows: length 1 → 0. Columns: x = (o + 0.5)·2 − 0.5 = [0.5, 2.5] → (5 + 10)/2, (20 + 40)/2.
      name: 'pytorch_half_pixel 3×4 → 1×2',
      inputs: { x: { shape: [3, 4], dtype: 'f32', data: PIXELS_3X4 } },
      attrs: { height: 1, width: 2, coordinateTransform: 'pytorch_half_pixel' },
      expected: { out: [7.5, 30] },
    },
  ],
  random: (rng) => {
    const dtypes: DType[] = ['u8', 'u16', 'i16', 'i32', 'f32'];
    const cases: Omit<KernelCase<ResizeBilinearAttrs>, 'expected'>[] = COORDINATE_TRANSFORMS.map((mode) => {
      const dtype = rng.pick(dtypes);
      const shape = [rng.int(1, 2), rng.int(1, 3), rng.int(1, 80), rng.int(1, 80)];
      const n = shape.reduce((a, b) => a * b, 1);
      return {
        name: `random ${mode} ${dtype} [${shape.join(', ')}]`,
        inputs: { x: { shape, dtype, data: pixels(rng, dtype, n) } },
        attrs: { height: rng.int(1, 130), width: rng.int(1, 130), coordinateTransform: mode },
      };
    });
    // A wide strip: coordinates in the thousands, where f32 coordinate arithmetic would lose sub-pixel accuracy.
    const wide = rng.int(2000, 3000);
    cases.push({
      name: `random wide u16 [3, ${wide}]`,
      inputs: { x: { shape: [3, wide], dtype: 'u16', data: pixels(rng, 'u16', 3 * wide) } },
      attrs: { height: 5, width: rng.int(3000, 4500), coordinateTransform: rng.pick(COORDINATE_TRANSFORMS) },
    });
    return cases;
  },
};
