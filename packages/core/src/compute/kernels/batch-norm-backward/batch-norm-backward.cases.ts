import type { KernelCases } from '../../kernel.js';
import { pair, randomChannelShape } from '../batch-norm/batch-norm.cases.js';
import { batchNormBackward, type BatchNormBackwardAttrs } from './batch-norm-backward.js';

const perChannel = (data: number[]) => ({ shape: [data.length], dtype: 'f32' as const, data });

export const batchNormBackwardCases: KernelCases<BatchNormBackwardAttrs> = {
  kernel: batchNormBackward,
  cases: [
    {
      // x̂ = [−1, 1, −1, 1], dy = [1, 2, 3, 4]: dbias 10, dscale 2, dx = 2·(dy − 2.5 − 0.5·x̂).
      name: 'training: the batch statistics carry gradient back to x',
      inputs: { x: { shape: [1, 1, 2, 2], dtype: 'f32', data: [1, 3, 1, 3] }, dy: { shape: [1, 1, 2, 2], dtype: 'f32', data: [1, 2, 3, 4] }, scale: perChannel([2]), statistics: pair([2], [1]) },
      attrs: { training: true },
      expected: { dx: [-2, -2, 2, 2], dscale: [2], dbias: [10] },
    },
    {
      // x̂ = (5 − 1)·0.5 = 2 and (7 − 1)·2 = 12; dx = dy·scale·invStd.
      name: 'evaluation: dx is dy scaled',
      inputs: { x: { shape: [1, 2, 1, 1], dtype: 'f32', data: [5, 7] }, dy: { shape: [1, 2, 1, 1], dtype: 'f32', data: [1, 2] }, scale: perChannel([2, 3]), statistics: pair([1, 1], [0.5, 2]) },
      attrs: { training: false },
      expected: { dx: [1, 12], dscale: [2, 24], dbias: [1, 2] },
    },
  ],
  random: (rng) => {
    const shape = randomChannelShape(rng);
    const size = shape.reduce((a, b) => a * b, 1);
    const c = shape[1]!;
    const inputs = {
      x: { shape, dtype: 'f32' as const, data: rng.floats(size, -3, 5) },
      dy: { shape, dtype: 'f32' as const, data: rng.floats(size) },
      scale: perChannel([...rng.floats(c, 0.5, 2)]),
      statistics: pair([...rng.floats(c, 0, 2)], [...rng.floats(c, 0.3, 1)]),
    };
    return [
      { name: `random training [${shape.join(', ')}]`, inputs, attrs: { training: true } },
      { name: `random evaluation [${shape.join(', ')}]`, inputs, attrs: { training: false } },
    ];
  },
};
