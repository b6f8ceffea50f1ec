import type { KernelCases } from '../../kernel.js';
import { activationBackward, type ActivationBackwardAttrs } from './activation-backward.js';

// gelu′(0) = ½; gelu′(x) + gelu′(−x) = 1 (gelu(x) − gelu(−x) = x).
const t1 = Math.tanh(Math.sqrt(2 / Math.PI) * 1.044715);
const dGelu1 = 0.5 * (1 + t1) + 0.5 * (1 - t1 * t1) * Math.sqrt(2 / Math.PI) * (1 + 3 * 0.044715);

export const activationBackwardCases: KernelCases<ActivationBackwardAttrs> = {
  kernel: activationBackward,
  cases: [
    {
      name: 'relu passes dy where x > 0 (0 at x = 0)',
      inputs: { x: { shape: [4], dtype: 'f32', data: [-1, 0, 2, 3] }, dy: { shape: [4], dtype: 'f32', data: [5, 6, 7, -8] } },
      attrs: { fn: 'relu' },
      expected: { dx: [0, 0, 7, -8] },
    },
    {
      name: 'gelu derivative at 0, 1, −1',
      inputs: { x: { shape: [3], dtype: 'f32', data: [0, 1, -1] }, dy: { shape: [3], dtype: 'f32', data: [2, 1, 1] } },
      attrs: { fn: 'gelu' },
      expected: { dx: [1, dGelu1, 1 - dGelu1] },
    },
    {
      // σ′(0) = ¼, σ′(x) = σ′(−x); far out it is 0 without overflowing.
      name: 'sigmoid derivative at 0, 2, −2, 100',
      inputs: { x: { shape: [4], dtype: 'f32', data: [0, 2, -2, 100] }, dy: { shape: [4], dtype: 'f32', data: [4, 1, 1, 1] } },
      attrs: { fn: 'sigmoid' },
      expected: { dx: [1, Math.exp(-2) / (1 + Math.exp(-2)) ** 2, Math.exp(-2) / (1 + Math.exp(-2)) ** 2, 0] },
    },
  ],
  random: (rng) => {
    const n = rng.int(1, 20000);
    return (['relu', 'gelu', 'sigmoid'] as const).map((fn) => ({
      name: `random ${fn}`,
      inputs: { x: { shape: [n], dtype: 'f32' as const, data: rng.floats(n, -6, 6) }, dy: { shape: [n], dtype: 'f32' as const, data: rng.floats(n) } },
      attrs: { fn },
    }));
  },
};
