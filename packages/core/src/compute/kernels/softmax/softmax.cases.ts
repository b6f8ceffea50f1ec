import type { KernelCases } from '../../kernel.js';
import { softmax, type SoftmaxAttrs } from './softmax.js';

const e = Math.E;

export const softmaxCases: KernelCases<SoftmaxAttrs> = {
  kernel: softmax,
  cases: [
    {
      name: 'last axis',
      inputs: { x: { shape: [2, 3], dtype: 'f32', data: [0, 1, 2, 5, 5, 5] } },
      attrs: {},
      expected: { out: [1 / (1 + e + e * e), e / (1 + e + e * e), (e * e) / (1 + e + e * e), 1 / 3, 1 / 3, 1 / 3] },
    },
    {
      name: 'large logits do not overflow',
      inputs: { x: { shape: [2], dtype: 'f32', data: [1000, 1000 + Math.log(3)] } },
      attrs: { axis: 0 },
      expected: { out: [0.25, 0.75] },
    },
    {
      name: 'first axis',
      inputs: { x: { shape: [2, 2], dtype: 'f32', data: [0, 3, Math.log(3), 3] } },
      attrs: { axis: 0 },
      expected: { out: [0.25, 0.5, 0.75, 0.5] },
    },
  ],
  random: (rng) => {
    const rows = rng.int(1, 400);
    const classes = rng.int(1, 40);
    return [
      { name: 'random logits', inputs: { x: { shape: [rows, classes], dtype: 'f32', data: rng.floats(rows * classes, -10, 10) } }, attrs: {} },
      { name: 'random, middle axis', inputs: { x: { shape: [3, classes, 5], dtype: 'f32', data: rng.floats(15 * classes, -5, 5) } }, attrs: { axis: 1 } },
    ];
  },
};
