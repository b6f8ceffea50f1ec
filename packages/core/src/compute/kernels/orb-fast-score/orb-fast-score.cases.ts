import type { KernelCase, KernelCases } from '../../kernel.js';
import { orbFastScore } from './orb-fast-score.js';

/** A size×size image of 0 with a square of `value` from (from, from) to the far corner. */
function square(size: number, from: number, value: number): number[] {
  return Array.from({ length: size * size }, (_, k) => (Math.floor(k / size) >= from && k % size >= from ? value : 0));
}

/**
 * Scores of `square(12, 6, 100)`, worked out on the circle: a square pixel at (x, y) sees darker
 * pixels where y + dy < 6 or x + dx < 6. (6, 6): 11 in a row; (7, 6) and (6, 7): 10; (8, 6), (6, 8)
 * and (7, 7): exactly 9 (e.g. (8, 6): the 7 with dy < 0 plus (−3, 1) and (−3, 0)). (9, 6): only the
 * 7 above, like every straight-edge pixel; outside pixels see at most 5 brighter. So 100 at those
 * six pixels, 0 elsewhere (x and y up to 8: the border of 3 is 0).
 */
function squareScores(): number[] {
  const out = new Array<number>(144).fill(0);
  for (const [x, y] of [[6, 6], [7, 6], [8, 6], [6, 7], [7, 7], [6, 8]] as const) out[y * 12 + x] = 100;
  return out;
}

export const orbFastScoreCases: KernelCases<Record<string, never>> = {
  kernel: orbFastScore,
  cases: [
    {
      name: 'a flat image scores 0 everywhere',
      inputs: { x: { shape: [8, 8], dtype: 'f32', data: new Array<number>(64).fill(7) } },
      attrs: {},
      expected: { out: new Array<number>(64).fill(0) },
    },
    {
      name: 'the corner of a bright square scores, its straight edges do not (8-bit)',
      inputs: { x: { shape: [1, 12, 12], dtype: 'u8', data: square(12, 6, 100) } },
      attrs: {},
      expected: { out: squareScores() },
    },
    {
      // One bright pixel on 0: all 16 circle pixels darker by 50 (and a second image, negated: all brighter).
      name: 'an isolated bright and an isolated dark pixel',
      inputs: { x: { shape: [2, 7, 7], dtype: 'f32', data: [...Array.from({ length: 49 }, (_, k) => (k === 24 ? 50 : 0)), ...Array.from({ length: 49 }, (_, k) => (k === 24 ? -50 : 0))] } },
      attrs: {},
      expected: { out: [...Array.from({ length: 49 }, (_, k) => (k === 24 ? 50 : 0)), ...Array.from({ length: 49 }, (_, k) => (k === 24 ? 50 : 0))] },
    },
  ],
  random: (rng) => {
    const cases: Omit<KernelCase<Record<string, never>>, 'expected'>[] = [];
    for (let k = 0; k < 2; k++) {
      const shape = [rng.int(1, 3), rng.int(4, 40), rng.int(4, 40)];
      // Few levels, so ties and arcs of equal differences happen.
      const data = Array.from({ length: shape[0]! * shape[1]! * shape[2]! }, () => rng.int(0, 6) * 40);
      cases.push({ name: `random [${shape.join(', ')}]`, inputs: { x: { shape, dtype: 'f32', data } }, attrs: {} });
    }
    return cases;
  },
};
