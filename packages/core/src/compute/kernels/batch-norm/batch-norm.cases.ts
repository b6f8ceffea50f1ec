import type { KernelCase, KernelCases } from '../../kernel.js';
import type { Rng } from '../../random.js';
import { batchNorm, type BatchNormAttrs } from './batch-norm.js';

const perChannel = (data: number[]) => ({ shape: [data.length], dtype: 'f32' as const, data });
/** A [2, C] pair: means, then variances (or 1/σ). */
export const pair = (means: number[], second: number[]) => ({ shape: [2, means.length], dtype: 'f32' as const, data: [...means, ...second] });

/** A random [N, C, H, W] whose channels hold more elements than a workgroup has invocations. */
export function randomChannelShape(rng: Rng): number[] {
  return [rng.int(1, 4), rng.int(1, 5), rng.int(1, 20), rng.int(1, 20)];
}

export const batchNormCases: KernelCases<BatchNormAttrs> = {
  kernel: batchNorm,
  cases: [
    {
      // One channel [1, 3, 1, 3]: mean 2, variance 1, so x̂ = ±1 and y = 2·x̂ + 0.5; running 0.9·(0, 1) + 0.1·(2, 1).
      name: 'training: batch statistics and the running update',
      inputs: { x: { shape: [1, 1, 2, 2], dtype: 'f32', data: [1, 3, 1, 3] }, scale: perChannel([2]), bias: perChannel([0.5]), running: pair([0], [1]) },
      attrs: { training: true, epsilon: 0 },
      expected: { y: [-1.5, 2.5, -1.5, 2.5], statistics: [2, 1], updatedRunning: [0.2, 1] },
    },
    {
      // Channel 0 holds {1, 3} (mean 2, var 1), channel 1 {10, 30} (mean 20, var 100) across the batch; momentum ½.
      name: 'training: two channels across a batch of 2',
      inputs: { x: { shape: [2, 2], dtype: 'f32', data: [1, 10, 3, 30] }, scale: perChannel([1, 1]), bias: perChannel([0, 0]), running: pair([0, 0], [1, 1]) },
      attrs: { training: true, epsilon: 0, momentum: 0.5 },
      expected: { y: [-1, -1, 1, 1], statistics: [2, 20, 1, 0.1], updatedRunning: [1, 10, 1, 50.5] },
    },
    {
      // The same channels with PyTorch's running variance: unbiased variances 2 and 200 (n/(n − 1) = 2), so ½·1 + ½·2 and ½·1 + ½·200.
      name: 'training: unbiased running variance (PyTorch)',
      inputs: { x: { shape: [2, 2], dtype: 'f32', data: [1, 10, 3, 30] }, scale: perChannel([1, 1]), bias: perChannel([0, 0]), running: pair([0, 0], [1, 1]) },
      attrs: { training: true, epsilon: 0, momentum: 0.5, unbiasedRunningVariance: true },
      expected: { y: [-1, -1, 1, 1], statistics: [2, 20, 1, 0.1], updatedRunning: [1, 10, 1.5, 100.5] },
    },
    {
      // Running statistics (1, 4) and (2, 0.25): 1/σ = 0.5 and 2; y = 2·(x − 1)·0.5 and (x − 2)·2 + 1.
      name: 'evaluation: running statistics, left as they are',
      inputs: { x: { shape: [1, 2, 1, 2], dtype: 'f32', data: [1, 2, 3, 4] }, scale: perChannel([2, 1]), bias: perChannel([0, 1]), running: pair([1, 2], [4, 0.25]) },
      attrs: { training: false, epsilon: 0 },
      expected: { y: [0, 1, 3, 5], statistics: [1, 2, 0.5, 2], updatedRunning: [1, 2, 4, 0.25] },
    },
  ],
  random: (rng) => {
    const shape = randomChannelShape(rng);
    const size = shape.reduce((a, b) => a * b, 1);
    const c = shape[1]!;
    const inputs = {
      x: { shape, dtype: 'f32' as const, data: rng.floats(size, -3, 5) },
      scale: perChannel([...rng.floats(c, 0.5, 2)]),
      bias: perChannel([...rng.floats(c)]),
      running: pair([...rng.floats(c)], [...rng.floats(c, 0.5, 2)]),
    };
    const cases: Omit<KernelCase<BatchNormAttrs>, 'expected'>[] = [
      { name: `random training [${shape.join(', ')}]`, inputs, attrs: { training: true, unbiasedRunningVariance: rng.next() < 0.5 } },
      { name: `random evaluation [${shape.join(', ')}]`, inputs, attrs: { training: false, momentum: 0.8 } },
    ];
    return cases;
  },
};
