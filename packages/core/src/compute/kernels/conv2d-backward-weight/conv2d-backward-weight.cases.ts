import type { KernelCase, KernelCases } from '../../kernel.js';
import { randomConvProblems } from '../conv2d/conv2d.cases.js';
import { convGeometry } from '../conv2d/conv2d.shape.js';
import { conv2dBackwardWeight, type Conv2dBackwardWeightAttrs } from './conv2d-backward-weight.js';

const ONE = (data: number[]) => ({ shape: [1, 1, Math.sqrt(data.length), Math.sqrt(data.length)], dtype: 'f32' as const, data });
const NINE = ONE([1, 2, 3, 4, 5, 6, 7, 8, 9]);

export const conv2dBackwardWeightCases: KernelCases<Conv2dBackwardWeightAttrs> = {
  kernel: conv2dBackwardWeight,
  cases: [
    {
      // Only output (0, 0) has a gradient: dw is the patch its window read, x[0..1, 0..1].
      name: 'one output gradient picks its input patch',
      inputs: { x: NINE, dy: ONE([1, 0, 0, 0]) },
      attrs: { kernelShape: [2, 2] },
      expected: { dw: [1, 2, 4, 5] },
    },
    {
      name: 'all-ones dy sums the patches each tap reads',
      inputs: { x: NINE, dy: ONE([1, 1, 1, 1]) },
      attrs: { kernelShape: [2, 2] },
      expected: { dw: [12, 16, 24, 28] },
    },
    {
      // Output (0, 0) with padding 1 reads x[−1..1, −1..1]: the taps over the padding get 0.
      name: 'stride 2, padding 1: padded taps get no gradient',
      inputs: { x: NINE, dy: ONE([1, 0, 0, 0]) },
      attrs: { kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
      expected: { dw: [0, 0, 0, 0, 1, 2, 0, 4, 5] },
    },
    {
      name: 'two groups: each filter sees its own channel',
      inputs: { x: { shape: [1, 2, 1, 2], dtype: 'f32', data: [1, 2, 3, 4] }, dy: { shape: [1, 2, 1, 2], dtype: 'f32', data: [1, 1, 2, 0] } },
      attrs: { kernelShape: [1, 1], group: 2 },
      expected: { dw: [3, 6] },
    },
    {
      name: 'summed over the batch',
      inputs: { x: { shape: [2, 1, 1, 1], dtype: 'f32', data: [2, 3] }, dy: { shape: [2, 1, 1, 1], dtype: 'f32', data: [5, 7] } },
      attrs: { kernelShape: [1, 1] },
      expected: { dw: [31] },
    },
  ],
  random: (rng) => {
    const cases: Omit<KernelCase<Conv2dBackwardWeightAttrs>, 'expected'>[] = [];
    for (const p of randomConvProblems(rng)) {
      const g = convGeometry('conv2d', { shape: p.x, dtype: 'f32' }, { shape: p.w, dtype: 'f32' }, p.attrs);
      const dy = [g.batch, g.outChannels, g.outHeight, g.outWidth];
      const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
      cases.push({
        name: `random x [${p.x.join(', ')}] dy [${dy.join(', ')}] ${JSON.stringify(p.attrs)}`,
        inputs: { x: { shape: p.x, dtype: 'f32', data: rng.floats(size(p.x)) }, dy: { shape: dy, dtype: 'f32', data: rng.floats(size(dy)) } },
        attrs: { ...p.attrs, kernelShape: p.kernel },
      });
    }
    return cases;
  },
};
