import type { KernelCase, KernelCases } from '../../kernel.js';
import { gaussianBlur, type GaussianBlurAttrs } from './gaussian-blur.js';

/** The normalised weights of σ = 0.5 (radius 2): exp(−2k²) / Σ. */
const W = (() => {
  const raw = [-2, -1, 0, 1, 2].map((k) => Math.exp(-2 * k * k));
  const total = raw.reduce((s, v) => s + v, 0);
  return raw.map((v) => v / total);
})();
const [, w1, w0, , w2] = [W[0]!, W[1]!, W[2]!, W[3]!, W[4]!];

export const gaussianBlurCases: KernelCases<GaussianBlurAttrs> = {
  kernel: gaussianBlur,
  cases: [
    {
      name: 'a flat image stays flat (the weights sum to 1)',
      inputs: { x: { shape: [2, 5, 6], dtype: 'f32', data: new Array<number>(60).fill(37.5) } },
      attrs: { sigma: 1.6, axis: 'y' },
      expected: { out: new Array<number>(60).fill(37.5) },
    },
    {
      // An impulse in the middle of a row spreads into the kernel itself.
      name: 'an impulse along x gives the normalised Gaussian (σ 0.5, radius 2)',
      inputs: { x: { shape: [1, 9], dtype: 'u8', data: [0, 0, 0, 0, 1, 0, 0, 0, 0] } },
      attrs: { sigma: 0.5, axis: 'x' },
      expected: { out: [0, 0, w2, w1, w0, w1, w2, 0, 0] },
    },
    {
      // Pixel 1 of a column is read twice by pixel 0 (at +1 and, reflected by REFLECT_101, at −1) and by itself (at 0 and at −2 → 1).
      name: 'the border reflects without repeating the edge pixel (along y)',
      inputs: { x: { shape: [5, 1], dtype: 'f32', data: [0, 1, 0, 0, 0] } },
      attrs: { sigma: 0.5, axis: 'y' },
      expected: { out: [2 * w1, w0 + w2, w1, w2, 0] },
    },
  ],
  random: (rng) => {
    const cases: Omit<KernelCase<GaussianBlurAttrs>, 'expected'>[] = [];
    for (const axis of ['x', 'y'] as const) {
      const shape = [rng.int(1, 3), rng.int(1, 40), rng.int(1, 40)];
      const data = Array.from({ length: shape[0]! * shape[1]! * shape[2]! }, () => rng.uniform(0, 255));
      cases.push({ name: `random [${shape.join(', ')}] along ${axis}`, inputs: { x: { shape, dtype: 'f32', data } }, attrs: { sigma: rng.uniform(0.5, 3.5), axis } });
    }
    return cases;
  },
};
