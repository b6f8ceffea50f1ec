import type { KernelCases } from '../../kernel.js';
import { globalAveragePoolBackward, type GlobalAveragePoolBackwardAttrs } from './global-average-pool-backward.js';

export const globalAveragePoolBackwardCases: KernelCases<GlobalAveragePoolBackwardAttrs> = {
  kernel: globalAveragePoolBackward,
  cases: [
    {
      name: 'each plane shares its dy',
      inputs: { dy: { shape: [1, 2, 1, 1], dtype: 'f32', data: [4, -8] } },
      attrs: { inputSize: [2, 2] },
      expected: { dx: [1, 1, 1, 1, -2, -2, -2, -2] },
    },
  ],
  random: (rng) => {
    const [n, c, h, w] = [rng.int(1, 8), rng.int(1, 70), rng.int(1, 12), rng.int(1, 12)];
    return [{ name: `random [${n}, ${c}] → ${h}×${w}`, inputs: { dy: { shape: [n, c, 1, 1], dtype: 'f32', data: rng.floats(n * c) } }, attrs: { inputSize: [h, w] } }];
  },
};
