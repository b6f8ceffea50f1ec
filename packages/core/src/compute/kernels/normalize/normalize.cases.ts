import type { DType } from '../../dtype.js';
import type { KernelCase, KernelCases } from '../../kernel.js';
import type { Rng } from '../../random.js';
import { normalize, type NormalizeAttrs } from './normalize.js';

const IMAGENET = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

function pixels(rng: Rng, dtype: DType, n: number): number[] | Float32Array {
  switch (dtype) {
    case 'u8':
      return Array.from({ length: n }, () => rng.int(0, 255));
    case 'u16':
      return Array.from({ length: n }, () => rng.int(0, 65535));
    case 'i16':
      return Array.from({ length: n }, () => rng.int(-1024, 3071));
    case 'i32':
      return Array.from({ length: n }, () => rng.int(-100000, 100000));
    case 'f32':
      return rng.floats(n, -3, 3);
  }
}

export const normalizeCases: KernelCases<NormalizeAttrs> = {
  kernel: normalize,
  cases: [
    {
      // R: (0 − .485)/.229, (1 − .485)/.229; G: (.2 − .456)/.224, (.4 − .456)/.224; B: (1 − .406)/.225, (0 − .406)/.225.
      name: 'ImageNet statistics on 8-bit CHW RGB',
      inputs: { x: { shape: [3, 1, 2], dtype: 'u8', data: [0, 255, 51, 102, 255, 0] } },
      attrs: { ...IMAGENET, scale: 1 / 255 },
      expected: { out: [-2.1179039, 2.2489083, -1.1428571, -0.25, 2.64, -1.8044444] },
    },
    {
      // (10 − 1)/2, (20 − 2)/4, (30 − 3)/0.5, then (0 − 1)/2, (0 − 2)/4, (0 − 3)/0.5.
      name: 'HWC, channelAxis -1',
      inputs: { x: { shape: [1, 2, 3], dtype: 'f32', data: [10, 20, 30, 0, 0, 0] } },
      attrs: { mean: [1, 2, 3], std: [2, 4, 0.5], channelAxis: -1 },
      expected: { out: [4.5, 4.5, 54, -0.5, -0.5, -6] },
    },
    {
      // One mean and std for every pixel, so a rank-2 slice needs no channel axis: (x − 40)/400.
      name: 'single mean/std on a CT slice (Hounsfield units)',
      inputs: { x: { shape: [2, 3], dtype: 'i16', data: [-1000, 40, 440, 3071, -960, 0] } },
      attrs: { mean: [40], std: [400] },
      expected: { out: [-2.6, 0, 1, 7.5775, -2.5, -0.1] },
    },
    {
      // x·2 then per channel: (0 − 0)/1, (200 − 100)/2, (400 − 200)/4, (510 − 255)/5; second image mirrored.
      name: 'NCHW RGBA, two images, scale 2',
      inputs: { x: { shape: [2, 4, 1, 1], dtype: 'u8', data: [0, 100, 200, 255, 255, 200, 100, 0] } },
      attrs: { mean: [0, 100, 200, 255], std: [1, 2, 4, 5], scale: 2 },
      expected: { out: [0, 50, 50, 51, 510, 150, 0, -51] },
    },
    {
      // Channel axis 0 with two means and one std: (100 − 100)/10, (150 − 100)/10 | (200 − 200)/10, (300 − 200)/10.
      name: 'per-channel mean, shared std, channelAxis 0',
      inputs: { x: { shape: [2, 1, 2], dtype: 'u16', data: [100, 150, 200, 300] } },
      attrs: { mean: [100, 200], std: [10], channelAxis: 0 },
      expected: { out: [0, 5, 0, 10] },
    },
  ],
  random: (rng) => {
    const dtypes: DType[] = ['u8', 'u16', 'i16', 'i32', 'f32'];
    const values = (count: number, min: number, max: number) => Array.from({ length: count }, () => rng.uniform(min, max));
    const cases: Omit<KernelCase<NormalizeAttrs>, 'expected'>[] = [];
    for (const channelAxis of [-3, -1]) {
      const dtype = rng.pick(dtypes);
      const channels = rng.int(1, 4);
      const [h, w] = [rng.int(1, 90), rng.int(1, 90)];
      const shape = channelAxis === -3 ? [rng.int(1, 3), channels, h, w] : [rng.int(1, 3), h, w, channels];
      const n = shape.reduce((a, b) => a * b, 1);
      const unit = dtype === 'u8' ? 1 / 255 : 1;
      cases.push({
        name: `random ${dtype} [${shape.join(', ')}], channelAxis ${channelAxis}`,
        inputs: { x: { shape, dtype, data: pixels(rng, dtype, n) } },
        attrs: { mean: values(channels, -1, 1), std: values(channels, 0.01, 2), scale: unit, channelAxis },
      });
    }
    const n = rng.int(1, 70000);
    const dtype = rng.pick(dtypes);
    cases.push({
      name: `random ${dtype} [${n}], one mean and std`,
      inputs: { x: { shape: [n], dtype, data: pixels(rng, dtype, n) } },
      attrs: { mean: values(1, -500, 500), std: values(1, 1, 1000) },
    });
    return cases;
  },
};
