import type { KernelCase, KernelCases } from '../../kernel.js';
import type { PoolBackwardAttrs } from '../../kernels-shared/window-geometry.js';
import { poolGeometry } from '../../kernels-shared/window-geometry.js';
import { maxPoolCpu } from '../max-pool/max-pool.cpu.js';
import { randomPoolProblem } from '../max-pool/max-pool.cases.js';
import { maxPoolBackward } from './max-pool-backward.js';

export const maxPoolBackwardCases: KernelCases<PoolBackwardAttrs> = {
  kernel: maxPoolBackward,
  cases: [
    {
      // max-pool's 3×3, stride 2, padding 1 case on a 3×4 input chose x[1], x[6], x[9], x[10].
      name: 'dy lands on each window\'s argmax',
      inputs: { dy: { shape: [1, 1, 2, 2], dtype: 'f32', data: [1, 2, 3, 4] }, indices: { shape: [1, 1, 2, 2], dtype: 'i32', data: [1, 6, 9, 10] } },
      attrs: { kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], inputSize: [3, 4] },
      expected: { dx: [0, 1, 0, 0, 0, 0, 2, 0, 0, 3, 4, 0] },
    },
    {
      // Overlapping 2×2 windows at stride 1 that all chose x[4] (the centre): its gradient is their sum.
      name: 'overlapping windows sharing an argmax add up',
      inputs: { dy: { shape: [1, 1, 2, 2], dtype: 'f32', data: [1, 2, 3, 4] }, indices: { shape: [1, 1, 2, 2], dtype: 'i32', data: [4, 4, 4, 4] } },
      attrs: { kernelShape: [2, 2], inputSize: [3, 3] },
      expected: { dx: [0, 0, 0, 0, 10, 0, 0, 0, 0] },
    },
  ],
  random: (rng) => {
    const cases: Omit<KernelCase<PoolBackwardAttrs>, 'expected'>[] = [];
    for (let k = 0; k < 2; k++) {
      const { shape, attrs } = randomPoolProblem(rng);
      const g = poolGeometry('max-pool', { shape, dtype: 'f32' }, attrs);
      const outShape = [g.batch, g.channels, g.outHeight, g.outWidth];
      const outSize = outShape.reduce((a, b) => a * b, 1);
      // Real argmaxes of a random input with ties, so windows share winners as in training.
      const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.int(-4, 4));
      const indices = new Int32Array(outSize);
      maxPoolCpu(x, new Float32Array(outSize), indices, g);
      cases.push({
        name: `random dy [${outShape.join(', ')}] ${JSON.stringify(attrs)}`,
        inputs: { dy: { shape: outShape, dtype: 'f32', data: rng.floats(outSize) }, indices: { shape: outShape, dtype: 'i32', data: indices } },
        attrs: { ...attrs, inputSize: [shape[2]!, shape[3]!] },
      });
    }
    return cases;
  },
};
