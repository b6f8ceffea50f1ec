import type { KernelCase, KernelCases } from '../../kernel.js';
import type { PoolAttrs } from '../../kernels-shared/window-geometry.js';
import type { Rng } from '../../random.js';
import { maxPool } from './max-pool.js';

/** A random pooling problem: x's shape and the window's attributes (kernel 1–3, stride 1–3, padding below the kernel). */
export function randomPoolProblem(rng: Rng): { shape: number[]; attrs: PoolAttrs } {
  const kernelShape: [number, number] = [rng.int(1, 3), rng.int(1, 3)];
  const pad = (k: number) => rng.int(0, k - 1);
  return {
    shape: [rng.int(1, 3), rng.int(1, 4), rng.int(3, 30), rng.int(3, 30)],
    attrs: { kernelShape, strides: [rng.int(1, 3), rng.int(1, 3)], pads: [pad(kernelShape[0]), pad(kernelShape[1]), pad(kernelShape[0]), pad(kernelShape[1])] },
  };
}

const X = { shape: [1, 1, 3, 4], dtype: 'f32' as const, data: [1, 5, 2, 0, 3, 4, 8, 7, -1, 6, 9, 9] };

export const maxPoolCases: KernelCases<PoolAttrs> = {
  kernel: maxPool,
  cases: [
    {
      // Windows rows 0–1 × columns 0–1 and 2–3: max 5 (at 1) and 8 (at 6).
      name: '2×2, stride 2',
      inputs: { x: X },
      attrs: { kernelShape: [2, 2], strides: [2, 2] },
      expected: { out: [5, 8], indices: [1, 6] },
    },
    {
      // Padding 1 on every side, stride 2: the window at (1, 1) reads rows 1–2, columns 1–2; ties (9, 9) keep the first.
      name: '3×3, stride 2, padding 1; a tie keeps the first',
      inputs: { x: X },
      attrs: { kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
      expected: { out: [5, 8, 6, 9], indices: [1, 6, 9, 10] },
    },
    {
      name: 'negative values are not beaten by the padding',
      inputs: { x: { shape: [1, 2, 1, 2], dtype: 'f32', data: [-3, -2, -5, -9] } },
      attrs: { kernelShape: [1, 2], pads: [0, 1, 0, 0] },
      expected: { out: [-3, -2, -5, -5], indices: [0, 1, 2, 2] },
    },
  ],
  random: (rng) => {
    const cases: Omit<KernelCase<PoolAttrs>, 'expected'>[] = [];
    for (let k = 0; k < 2; k++) {
      const { shape, attrs } = randomPoolProblem(rng);
      // Values from a small set, so ties happen and the first-tap rule is compared too.
      const data = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.int(-4, 4));
      cases.push({ name: `random [${shape.join(', ')}] ${JSON.stringify(attrs)}`, inputs: { x: { shape, dtype: 'f32', data } }, attrs });
    }
    return cases;
  },
};
