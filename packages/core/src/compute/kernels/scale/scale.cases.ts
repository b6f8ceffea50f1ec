import type { KernelCases } from '../../kernel.js';
import { scale, type ScaleAttrs } from './scale.js';

export const scaleCases: KernelCases<ScaleAttrs> = {
  kernel: scale,
  cases: [
    {
      name: '8-bit pixels to [0, 1]',
      inputs: { x: { shape: [5], dtype: 'u8', data: [0, 51, 102, 204, 255] } },
      attrs: { alpha: 1 / 255 },
      expected: { out: [0, 0.2, 0.4, 0.8, 1] },
    },
    {
      name: 'signed 16-bit with offset',
      inputs: { x: { shape: [2, 2], dtype: 'i16', data: [-1024, -1, 0, 3071] } },
      attrs: { alpha: 0.5, beta: 1 },
      expected: { out: [-511, 0.5, 1, 1536.5] },
    },
    {
      name: 'unsigned 16-bit, odd length',
      inputs: { x: { shape: [3], dtype: 'u16', data: [65535, 1, 2] } },
      attrs: { alpha: 2 },
      expected: { out: [131070, 2, 4] },
    },
  ],
  random: (rng) => {
    const n = rng.int(1, 70000);
    const u8 = Array.from({ length: n }, () => rng.int(0, 255));
    const i16 = Array.from({ length: n }, () => rng.int(-32768, 32767));
    return [
      { name: 'random f32', inputs: { x: { shape: [n], dtype: 'f32', data: rng.floats(n, -100, 100) } }, attrs: { alpha: rng.uniform(-2, 2), beta: rng.uniform(-1, 1) } },
      { name: 'random u8', inputs: { x: { shape: [n], dtype: 'u8', data: u8 } }, attrs: { alpha: 1 / 255 } },
      { name: 'random i16', inputs: { x: { shape: [n], dtype: 'i16', data: i16 } }, attrs: { alpha: 1, beta: -1024 } },
    ];
  },
};
