import type { DType } from '../../dtype.js';
import type { KernelCase, KernelCases } from '../../kernel.js';
import type { Rng } from '../../random.js';
import { color, type ColorAttrs } from './color.js';

/** Colour intensities are never negative: signed dtypes get non-negative values too. */
function pixels(rng: Rng, dtype: DType, n: number): number[] | Float32Array {
  switch (dtype) {
    case 'u8':
      return Array.from({ length: n }, () => rng.int(0, 255));
    case 'u16':
      return Array.from({ length: n }, () => rng.int(0, 65535));
    case 'i16':
      return Array.from({ length: n }, () => rng.int(0, 32767));
    case 'i32':
      return Array.from({ length: n }, () => rng.int(0, 1 << 20));
    case 'f32':
      return rng.floats(n, 0, 1);
  }
}

export const colorCases: KernelCases<ColorAttrs> = {
  kernel: color,
  cases: [
    {
      // Red, green, blue, white: 255·0.299, 255·0.587, 255·0.114, 255·(0.299 + 0.587 + 0.114).
      name: 'rgb-to-gray, CHW 8-bit primaries',
      inputs: { x: { shape: [3, 1, 4], dtype: 'u8', data: [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255] } },
      attrs: { conversion: 'rgb-to-gray' },
      expected: { out: [76.245, 149.685, 29.07, 255] },
    },
    {
      // 29.9 + 29.35 + 22.8 and 2.99 + 11.74 + 3.42; alpha (0 and 255) plays no part.
      name: 'rgb-to-gray, HWC RGBA, alpha ignored',
      inputs: { x: { shape: [1, 2, 4], dtype: 'u8', data: [100, 50, 200, 0, 10, 20, 30, 255] } },
      attrs: { conversion: 'rgb-to-gray', channelAxis: -1 },
      expected: { out: [82.05, 18.15] },
    },
    {
      // Image 0: R = [1, 0], G = [0, 1], B = 0 → [0.299, 0.587]. Image 1: R = [0, 1], G = [0, 1], B = 1 → [0.114, 1].
      name: 'rgb-to-gray, NCHW batch of two',
      inputs: { x: { shape: [2, 3, 1, 2], dtype: 'f32', data: [1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 1] } },
      attrs: { conversion: 'rgb-to-gray' },
      expected: { out: [0.299, 0.587, 0.114, 1] },
    },
    {
      name: 'gray-to-rgb, CHW 16-bit',
      inputs: { x: { shape: [1, 2, 2], dtype: 'u16', data: [0, 1000, 65535, 7] } },
      attrs: { conversion: 'gray-to-rgb' },
      expected: { out: [0, 1000, 65535, 7, 0, 1000, 65535, 7, 0, 1000, 65535, 7] },
    },
    {
      name: 'gray-to-rgb, HWC signed',
      inputs: { x: { shape: [2, 1], dtype: 'i16', data: [-5, 7] } },
      attrs: { conversion: 'gray-to-rgb', channelAxis: -1 },
      expected: { out: [-5, -5, -5, 7, 7, 7] },
    },
    {
      name: 'gray-to-rgb, NCHW batch of two',
      inputs: { x: { shape: [2, 1, 1, 2], dtype: 'f32', data: [1, 2, 3, 4] } },
      attrs: { conversion: 'gray-to-rgb' },
      expected: { out: [1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4] },
    },
  ],
  random: (rng) => {
    const dtypes: DType[] = ['u8', 'u16', 'i16', 'i32', 'f32'];
    const cases: Omit<KernelCase<ColorAttrs>, 'expected'>[] = [];
    for (const channelAxis of [-3, -1]) {
      for (const conversion of ['rgb-to-gray', 'gray-to-rgb'] as const) {
        const dtype = rng.pick(dtypes);
        const channels = conversion === 'gray-to-rgb' ? 1 : rng.int(3, 4);
        const [h, w] = [rng.int(1, 100), rng.int(1, 100)];
        const shape = channelAxis === -3 ? [rng.int(1, 3), channels, h, w] : [rng.int(1, 3), h, w, channels];
        const n = shape.reduce((a, b) => a * b, 1);
        cases.push({
          name: `random ${conversion} ${dtype} [${shape.join(', ')}], channelAxis ${channelAxis}`,
          inputs: { x: { shape, dtype, data: pixels(rng, dtype, n) } },
          attrs: { conversion, channelAxis },
        });
      }
    }
    return cases;
  },
};
