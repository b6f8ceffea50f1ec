import type { KernelCase, KernelCases } from '../../kernel.js';
import { poolGeometry } from '../../kernels-shared/window-geometry.js';
import { randomPoolProblem } from '../max-pool/max-pool.cases.js';
import { avgPoolBackward, type AvgPoolBackwardAttrs } from './avg-pool-backward.js';

export const avgPoolBackwardCases: KernelCases<AvgPoolBackwardAttrs> = {
  kernel: avgPoolBackward,
  cases: [
    {
      // Two 2×2 windows side by side: each spreads dy/4 over its four inputs.
      name: '2×2, stride 2',
      inputs: { dy: { shape: [1, 1, 1, 2], dtype: 'f32', data: [4, 8] } },
      attrs: { kernelShape: [2, 2], strides: [2, 2], inputSize: [2, 4] },
      expected: { dx: [1, 1, 2, 2, 1, 1, 2, 2] },
    },
    {
      // 2×2 at stride 1 over 3×3 with dy 4 everywhere: an input gets 1 from each window that reads it (corner 1, edge 2, centre 4).
      name: 'overlapping windows',
      inputs: { dy: { shape: [1, 1, 2, 2], dtype: 'f32', data: [4, 4, 4, 4] } },
      attrs: { kernelShape: [2, 2], inputSize: [3, 3] },
      expected: { dx: [1, 2, 1, 2, 4, 2, 1, 2, 1] },
    },
    {
      // 3×3 with padding 1 on a 1×2 input: both windows read the same two inputs, 2 real taps each: 18/2 + 36/2.
      name: 'padding excluded from the divisor',
      inputs: { dy: { shape: [1, 1, 1, 2], dtype: 'f32', data: [18, 36] } },
      attrs: { kernelShape: [3, 3], pads: [1, 1, 1, 1], inputSize: [1, 2] },
      expected: { dx: [27, 27] },
    },
    {
      // The same windows divided by all 9 taps: 18/9 + 36/9.
      name: 'padding included in the divisor',
      inputs: { dy: { shape: [1, 1, 1, 2], dtype: 'f32', data: [18, 36] } },
      attrs: { kernelShape: [3, 3], pads: [1, 1, 1, 1], inputSize: [1, 2], countIncludePad: true },
      expected: { dx: [6, 6] },
    },
  ],
  random: (rng) => {
    const cases: Omit<KernelCase<AvgPoolBackwardAttrs>, 'expected'>[] = [];
    for (const countIncludePad of [false, true]) {
      const { shape, attrs } = randomPoolProblem(rng);
      const g = poolGeometry('avg-pool', { shape, dtype: 'f32' }, attrs);
      const outShape = [g.batch, g.channels, g.outHeight, g.outWidth];
      cases.push({
        name: `random dy [${outShape.join(', ')}] ${JSON.stringify(attrs)}, countIncludePad ${countIncludePad}`,
        inputs: { dy: { shape: outShape, dtype: 'f32', data: rng.floats(outShape.reduce((a, b) => a * b, 1)) } },
        attrs: { ...attrs, inputSize: [shape[2]!, shape[3]!], countIncludePad },
      });
    }
    return cases;
  },
};
