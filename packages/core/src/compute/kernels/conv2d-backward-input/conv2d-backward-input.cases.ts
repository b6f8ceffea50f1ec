import type { KernelCase, KernelCases } from '../../kernel.js';
import { randomConvProblems } from '../conv2d/conv2d.cases.js';
import { convGeometry } from '../conv2d/conv2d.shape.js';
import { conv2dBackwardInput, type Conv2dBackwardInputAttrs } from './conv2d-backward-input.js';

const ONE = (data: number[]) => ({ shape: [1, 1, Math.sqrt(data.length), Math.sqrt(data.length)], dtype: 'f32' as const, data });

export const conv2dBackwardInputCases: KernelCases<Conv2dBackwardInputAttrs> = {
  kernel: conv2dBackwardInput,
  cases: [
    {
      // w = [[1, 0], [0, −1]]: each dy[oy, ox] adds to dx[oy, ox] and subtracts from dx[oy + 1, ox + 1].
      name: '2×2 kernel, no padding',
      inputs: { dy: ONE([1, 2, 3, 4]), w: ONE([1, 0, 0, -1]) },
      attrs: { inputSize: [3, 3] },
      expected: { dx: [1, 2, 0, 3, 3, -2, 0, -3, -4] },
    },
    {
      // 3×3 ones, stride 2, padding 1 on a 4×4 input (3×3 gives the same 2×2 output): output row 0
      // reads input rows 0–1, row 1 reads rows 1–3; dx sums dy over the windows that read it.
      name: 'stride 2, padding 1, input size the output alone does not fix',
      inputs: { dy: ONE([1, 2, 3, 4]), w: ONE(new Array(9).fill(1)) },
      attrs: { strides: [2, 2], pads: [1, 1, 1, 1], inputSize: [4, 4] },
      expected: { dx: [1, 3, 2, 2, 4, 10, 6, 6, 3, 7, 4, 4, 3, 7, 4, 4] },
    },
    {
      name: 'dilation 2 scatters to the corners',
      inputs: { dy: ONE([5]), w: ONE([1, 2, 3, 4]) },
      attrs: { dilations: [2, 2], inputSize: [3, 3] },
      expected: { dx: [5, 0, 10, 0, 0, 0, 15, 0, 20] },
    },
    {
      name: 'two groups',
      inputs: { dy: { shape: [1, 2, 1, 2], dtype: 'f32', data: [1, 1, 1, 1] }, w: { shape: [2, 1, 1, 1], dtype: 'f32', data: [2, -1] } },
      attrs: { group: 2, inputSize: [1, 2] },
      expected: { dx: [2, 2, -1, -1] },
    },
  ],
  random: (rng) => {
    const cases: Omit<KernelCase<Conv2dBackwardInputAttrs>, 'expected'>[] = [];
    for (const p of randomConvProblems(rng)) {
      const g = convGeometry('conv2d', { shape: p.x, dtype: 'f32' }, { shape: p.w, dtype: 'f32' }, p.attrs);
      const dy = [g.batch, g.outChannels, g.outHeight, g.outWidth];
      const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
      cases.push({
        name: `random dy [${dy.join(', ')}] w [${p.w.join(', ')}] ${JSON.stringify(p.attrs)}`,
        inputs: { dy: { shape: dy, dtype: 'f32', data: rng.floats(size(dy)) }, w: { shape: p.w, dtype: 'f32', data: rng.floats(size(p.w)) } },
        attrs: { ...p.attrs, inputSize: [p.x[2]!, p.x[3]!] },
      });
    }
    return cases;
  },
};
