import type { KernelCases } from '../../kernel.js';
import { sgdUpdate, type SgdUpdateAttrs } from './sgd-update.js';

const vector = (data: number[]) => ({ shape: [data.length], dtype: 'f32' as const, data });

export const sgdUpdateCases: KernelCases<SgdUpdateAttrs> = {
  kernel: sgdUpdate,
  cases: [
    {
      name: 'plain step θ − lr·g',
      inputs: { param: vector([1, 2]), grad: vector([0.5, -1]), velocity: vector([0, 0]), squaredNorm: vector([0]) },
      attrs: { lr: 0.1 },
      expected: { newParam: [0.95, 2.1], newVelocity: [0.5, -1] },
    },
    {
      name: 'momentum and weight decay',
      inputs: { param: vector([1, -2]), grad: vector([1, 1]), velocity: vector([2, -2]), squaredNorm: vector([0]) },
      attrs: { lr: 0.5, momentum: 0.9, weightDecay: 0.1 },
      // v = 0.9·v + g + 0.1·θ = [1.8 + 1 + 0.1, −1.8 + 1 − 0.2]; θ − 0.5·v
      expected: { newParam: [1 - 0.5 * 2.9, -2 + 0.5 * 1], newVelocity: [2.9, -1] },
    },
    {
      name: 'clipping: ‖g‖ = 5 scaled to 1',
      inputs: { param: vector([0, 0]), grad: vector([3, 4]), velocity: vector([0, 0]), squaredNorm: vector([25]) },
      attrs: { lr: 1, maxNorm: 1 },
      expected: { newParam: [-3 / (5 + 1e-6), -4 / (5 + 1e-6)], newVelocity: [3 / (5 + 1e-6), 4 / (5 + 1e-6)] },
    },
    {
      name: 'clipping leaves a small norm alone',
      inputs: { param: vector([0]), grad: vector([0.5]), velocity: vector([0]), squaredNorm: vector([0.25]) },
      attrs: { lr: 1, maxNorm: 1 },
      expected: { newParam: [-0.5], newVelocity: [0.5] },
    },
  ],
  random: (rng) => {
    const n = rng.int(1, 30000);
    const f = () => ({ shape: [n], dtype: 'f32' as const, data: rng.floats(n) });
    return [
      {
        name: 'random',
        inputs: { param: f(), grad: f(), velocity: f(), squaredNorm: vector([rng.uniform(0, 100)]) },
        attrs: { lr: rng.uniform(0.001, 0.5), momentum: rng.uniform(0, 0.99), weightDecay: rng.uniform(0, 0.01), maxNorm: rng.pick([0, 1, 5]) },
      },
    ];
  },
};
