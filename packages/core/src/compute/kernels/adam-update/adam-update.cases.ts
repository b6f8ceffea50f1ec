import type { KernelCases } from '../../kernel.js';
import { adamUpdate, type AdamUpdateAttrs } from './adam-update.js';

const vector = (data: number[]) => ({ shape: [data.length], dtype: 'f32' as const, data });

export const adamUpdateCases: KernelCases<AdamUpdateAttrs> = {
  kernel: adamUpdate,
  cases: [
    {
      // Bias correction makes the first step lr·g/(|g| + ε) ≈ lr·sign(g), whatever the scale of g.
      name: 'first step moves every weight by about lr',
      inputs: { param: vector([1, 1, 1]), grad: vector([100, -0.01, 0]), m: vector([0, 0, 0]), v: vector([0, 0, 0]), squaredNorm: vector([0]) },
      attrs: { lr: 0.1, step: 1 },
      expected: { newParam: [0.9, 1.1, 1], newM: [10, -0.001, 0], newV: [10, 1e-7, 0] },
    },
    {
      name: 'second step with bias correction',
      inputs: { param: vector([0]), grad: vector([1]), m: vector([0.1]), v: vector([0.001]), squaredNorm: vector([0]) },
      attrs: { lr: 1, step: 2, epsilon: 0 },
      // m = 0.19, v = 0.001999; m̂ = 0.19 / 0.19 = 1, v̂ = 0.001999 / 0.001999 = 1
      expected: { newParam: [-1], newM: [0.19], newV: [0.001999] },
    },
    {
      name: 'AdamW shrinks the weight, Adam adds λθ to the gradient',
      inputs: { param: vector([2]), grad: vector([0]), m: vector([0]), v: vector([0]), squaredNorm: vector([0]) },
      attrs: { lr: 0.1, step: 1, weightDecay: 0.5, decoupled: true },
      expected: { newParam: [2 * 0.95], newM: [0], newV: [0] },
    },
    {
      name: 'Adam with L2 weight decay',
      inputs: { param: vector([2]), grad: vector([0]), m: vector([0]), v: vector([0]), squaredNorm: vector([0]) },
      attrs: { lr: 0.1, step: 1, weightDecay: 0.5, epsilon: 0 },
      // g = 1: m = 0.1, v = 0.001; step = 0.1 · 1 / 1
      expected: { newParam: [1.9], newM: [0.1], newV: [0.001] },
    },
  ],
  random: (rng) => {
    const n = rng.int(1, 30000);
    const f = (min: number, max: number) => ({ shape: [n], dtype: 'f32' as const, data: rng.floats(n, min, max) });
    return [
      {
        name: 'random',
        inputs: { param: f(-1, 1), grad: f(-1, 1), m: f(-0.1, 0.1), v: f(0.001, 0.01), squaredNorm: vector([rng.uniform(0, 100)]) },
        attrs: { lr: rng.uniform(1e-4, 1e-2), step: rng.int(1, 1000), weightDecay: rng.uniform(0, 0.1), decoupled: rng.next() < 0.5, maxNorm: rng.pick([0, 1, 5]) },
      },
    ];
  },
};
