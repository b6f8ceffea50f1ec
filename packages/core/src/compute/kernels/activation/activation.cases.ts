import type { KernelCases } from '../../kernel.js';
import { activation, type ActivationAttrs } from './activation.js';

// gelu(1) = ½(1 + tanh(√(2/π)·1.044715)); gelu(−1) = −1 + gelu(1) (gelu(x) − gelu(−x) = x).
const gelu1 = 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * 1.044715));

export const activationCases: KernelCases<ActivationAttrs> = {
  kernel: activation,
  cases: [
    { name: 'relu', inputs: { x: { shape: [5], dtype: 'f32', data: [-2, -0.5, 0, 0.5, 3] } }, attrs: { fn: 'relu' }, expected: { out: [0, 0, 0, 0.5, 3] } },
    {
      name: 'gelu (tanh approximation), odd part is x',
      inputs: { x: { shape: [2, 2], dtype: 'f32', data: [0, 1, -1, 50] } },
      attrs: { fn: 'gelu' },
      expected: { out: [0, gelu1, gelu1 - 1, 50] },
    },
    // σ(0) = ½; σ(−x) = 1 − σ(x); far out it saturates without overflowing.
    { name: 'sigmoid', inputs: { x: { shape: [5], dtype: 'f32', data: [0, 2, -2, 100, -100] } }, attrs: { fn: 'sigmoid' }, expected: { out: [0.5, 1 / (1 + Math.exp(-2)), 1 - 1 / (1 + Math.exp(-2)), 1, Math.exp(-100)] } },
    { name: 'gelu of a large negative value is 0', inputs: { x: { shape: [1], dtype: 'f32', data: [-50] } }, attrs: { fn: 'gelu' }, expected: { out: [0] } },
  ],
  random: (rng) => {
    const n = rng.int(1, 20000);
    return (['relu', 'gelu', 'sigmoid'] as const).map((fn) => ({ name: `random ${fn}`, inputs: { x: { shape: [n], dtype: 'f32' as const, data: rng.floats(n, -6, 6) } }, attrs: { fn } }));
  },
};
