import { describe, expect, it } from 'vitest';
import type { PlanarImage, PredictFn } from './explain-input.js';
import { riseMap, riseMask } from './rise.js';
import { Rng } from '../compute/random.js';

// Toy model over 16×16 images: class 0 scores the mean of the 4×4 region at rows 4–7, columns 4–7.
const SIZE = 16;
const inRegion = (y: number, x: number) => y >= 4 && y < 8 && x >= 4 && x < 8;
const regionModel: PredictFn = async (batch, n) => {
  const out = new Float32Array(n * 2);
  for (let k = 0; k < n; k++) {
    let sum = 0;
    for (let y = 4; y < 8; y++) for (let x = 4; x < 8; x++) sum += batch[k * SIZE * SIZE + y * SIZE + x]!;
    out[2 * k] = sum / 16;
    out[2 * k + 1] = 1 - sum / 16;
  }
  return out;
};
const ones: PlanarImage = { data: new Float32Array(SIZE * SIZE).fill(1), channels: 1, height: SIZE, width: SIZE };

function meanWhere(map: Float32Array, keep: (y: number, x: number) => boolean): number {
  let sum = 0;
  let count = 0;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      if (!keep(y, x)) continue;
      sum += map[y * SIZE + x]!;
      count += 1;
    }
  }
  return sum / count;
}

describe('RISE masks', () => {
  it('are soft masks in [0, 1] whose mean is near the keep probability', () => {
    const rng = new Rng(7);
    let total = 0;
    for (let i = 0; i < 200; i++) {
      const mask = riseMask(rng, SIZE, SIZE, 4, 0.3);
      expect(mask.every((value) => value >= 0 && value <= 1)).toBe(true);
      total += mask.reduce((sum, value) => sum + value, 0) / mask.length;
    }
    expect(total / 200).toBeGreaterThan(0.25);
    expect(total / 200).toBeLessThan(0.35);
  });
});

describe('RISE saliency', () => {
  it('is highest where the model looks', async () => {
    const result = await riseMap(regionModel, ones, { masks: 400, cells: 4, seed: 1, batchSize: 32 });
    expect(result).toMatchObject({ classIndex: 0, baseScore: 1, evaluations: 401 });
    // Far from the region the mask and the score are independent: E[S] = E[M]·E[score]/p = p = 0.5.
    // Inside it, keeping the pixel keeps part of the region: E[S] is clearly higher.
    const inside = meanWhere(result.map, inRegion);
    const far = meanWhere(result.map, (y, x) => y >= 12 || x >= 12);
    expect(far).toBeGreaterThan(0.4);
    expect(far).toBeLessThan(0.6);
    expect(inside - far).toBeGreaterThan(0.1);
  });

  it('gives the same map for the same seed whatever the batch size, and another map for another seed', async () => {
    const a = await riseMap(regionModel, ones, { masks: 50, cells: 4, seed: 3, batchSize: 7 });
    const b = await riseMap(regionModel, ones, { masks: 50, cells: 4, seed: 3, batchSize: 50 });
    const c = await riseMap(regionModel, ones, { masks: 50, cells: 4, seed: 4 });
    expect(Array.from(a.map)).toEqual(Array.from(b.map));
    expect(Array.from(a.map)).not.toEqual(Array.from(c.map));
  });

  it('rejects a keep probability outside (0, 1]', async () => {
    await expect(riseMap(regionModel, ones, { probability: 0 })).rejects.toMatchObject({ code: 'EVAL_OPTION_INVALID' });
  });
});
