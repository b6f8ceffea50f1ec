import type { KernelCase, KernelCases } from '../../kernel.js';
import { randomPoolProblem } from '../max-pool/max-pool.cases.js';
import { avgPool, type AvgPoolAttrs } from './avg-pool.js';

const X = { shape: [1, 1, 3, 4], dtype: 'f32' as const, data: [1, 5, 2, 0, 3, 4, 8, 7, -1, 6, 9, 9] };

export const avgPoolCases: KernelCases<AvgPoolAttrs> = {
  kernel: avgPool,
  cases: [
    {
      name: '2×2, stride 2',
      inputs: { x: X },
      attrs: { kernelShape: [2, 2], strides: [2, 2] },
      expected: { out: [13 / 4, 17 / 4] },
    },
    {
      // 3×3, stride 2, padding 1: the windows hold 4, 6, 4 and 6 real taps (sums 13, 26, 12, 43).
      name: 'padding excluded from the count (ONNX default)',
      inputs: { x: X },
      attrs: { kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
      expected: { out: [13 / 4, 26 / 6, 12 / 4, 43 / 6] },
    },
    {
      name: 'padding included in the count',
      inputs: { x: X },
      attrs: { kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], countIncludePad: true },
      expected: { out: [13 / 9, 26 / 9, 12 / 9, 43 / 9] },
    },
  ],
  random: (rng) => {
    const cases: Omit<KernelCase<AvgPoolAttrs>, 'expected'>[] = [];
    for (const countIncludePad of [false, true]) {
      const { shape, attrs } = randomPoolProblem(rng);
      const data = rng.floats(shape.reduce((a, b) => a * b, 1));
      cases.push({ name: `random [${shape.join(', ')}] ${JSON.stringify(attrs)}, countIncludePad ${countIncludePad}`, inputs: { x: { shape, dtype: 'f32', data } }, attrs: { ...attrs, countIncludePad } });
    }
    return cases;
  },
};
