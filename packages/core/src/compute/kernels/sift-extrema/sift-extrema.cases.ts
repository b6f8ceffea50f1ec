import type { KernelCase, KernelCases } from '../../kernel.js';
import { siftExtrema, type SiftExtremaAttrs } from './sift-extrema.js';

const SIZE = 7;
const plane = (fill: number, at: Record<number, number> = {}) => Array.from({ length: SIZE * SIZE }, (_, k) => at[k] ?? fill);
const mark = (at: Record<number, number>) => plane(0, at);
const C = 3 * SIZE + 3; // the centre pixel (3, 3)

export const siftExtremaCases: KernelCases<SiftExtremaAttrs> = {
  kernel: siftExtrema,
  cases: [
    {
      name: 'a peak above its cube is a maximum, a pit below it a minimum (second image)',
      inputs: {
        below: { shape: [2, SIZE, SIZE], dtype: 'f32', data: [...plane(1), ...plane(-1)] },
        centre: { shape: [2, SIZE, SIZE], dtype: 'f32', data: [...plane(1, { [C]: 9 }), ...plane(-1, { [C]: -9 })] },
        above: { shape: [2, SIZE, SIZE], dtype: 'f32', data: [...plane(1), ...plane(-1)] },
      },
      attrs: { threshold: 2, border: 2 },
      expected: { out: [...mark({ [C]: 1 }), ...mark({ [C]: -1 })] },
    },
    {
      // The same peak: the level above holds a larger value next to it, the threshold 9 is not exceeded,
      // and a peak 1 pixel from the edge lies in the border.
      name: 'a larger neighbour in scale, a weak peak and a peak in the border are no extrema',
      inputs: {
        below: { shape: [3, SIZE, SIZE], dtype: 'f32', data: [...plane(0), ...plane(0), ...plane(0)] },
        centre: { shape: [3, SIZE, SIZE], dtype: 'f32', data: [...plane(0, { [C]: 9 }), ...plane(0, { [C]: 9 }), ...plane(0, { [SIZE + 1]: 20 })] },
        above: { shape: [3, SIZE, SIZE], dtype: 'f32', data: [...plane(0, { [C + 1]: 10 }), ...plane(0), ...plane(0)] },
      },
      attrs: { threshold: 9, border: 2 },
      expected: { out: [...mark({}), ...mark({}), ...mark({})] },
    },
    {
      // OpenCV's test is ≥ (not >): a plateau of equal values marks every pixel of it that clears the threshold.
      name: 'ties count as extrema (OpenCV 4.x)',
      inputs: { below: { shape: [SIZE, SIZE], dtype: 'f32', data: plane(5) }, centre: { shape: [SIZE, SIZE], dtype: 'f32', data: plane(5) }, above: { shape: [SIZE, SIZE], dtype: 'f32', data: plane(5) } },
      attrs: { threshold: 4, border: 3 },
      expected: { out: mark({ [C]: 1 }) },
    },
  ],
  random: (rng) => {
    const cases: Omit<KernelCase<SiftExtremaAttrs>, 'expected'>[] = [];
    for (let k = 0; k < 2; k++) {
      const shape = [rng.int(1, 3), rng.int(3, 40), rng.int(3, 40)];
      const size = shape[0]! * shape[1]! * shape[2]!;
      // Few levels, so ties happen.
      const level = () => ({ shape, dtype: 'f32' as const, data: Array.from({ length: size }, () => rng.int(-4, 4) * 2.5) });
      cases.push({ name: `random [${shape.join(', ')}]`, inputs: { below: level(), centre: level(), above: level() }, attrs: { threshold: rng.pick([0, 2, 5]), border: rng.int(1, 3) } });
    }
    return cases;
  },
};
