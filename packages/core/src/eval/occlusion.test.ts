import { describe, expect, it } from 'vitest';
import type { PlanarImage, PredictFn } from './explain-input.js';
import { occlusionMap, patchStarts } from './occlusion.js';

// Toy model over 8×8 one-channel images: class 0 scores the mean of the 2×2 region at rows 2–3,
// columns 4–5; class 1 scores 1 minus that. On an all-ones image the score of class 0 is 1, and
// occluding k of the region's 4 pixels with baseline 0 drops it by k/4.
const SIZE = 8;
const REGION = { top: 2, left: 4, size: 2 };
const batchSizes: number[] = [];
const toyModel: PredictFn = async (batch, n) => {
  batchSizes.push(n);
  const out = new Float32Array(n * 2);
  for (let k = 0; k < n; k++) {
    let sum = 0;
    for (let y = REGION.top; y < REGION.top + REGION.size; y++) {
      for (let x = REGION.left; x < REGION.left + REGION.size; x++) sum += batch[k * SIZE * SIZE + y * SIZE + x]!;
    }
    out[2 * k] = sum / 4;
    out[2 * k + 1] = 1 - sum / 4;
  }
  return out;
};
const ones: PlanarImage = { data: new Float32Array(SIZE * SIZE).fill(1), channels: 1, height: SIZE, width: SIZE };
const at = (map: Float32Array, y: number, x: number) => map[y * SIZE + x]!;

describe('occlusion sensitivity', () => {
  it('patch starts cover the axis, the last one flush with the edge', () => {
    expect(patchStarts(8, 2, 2)).toEqual([0, 2, 4, 6]);
    expect(patchStarts(8, 3, 2)).toEqual([0, 2, 4, 5]);
    expect(patchStarts(8, 2, 1)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('with non-overlapping patches marks exactly the sensitive region', async () => {
    const result = await occlusionMap(toyModel, ones, { patch: 2, stride: 2 });
    // default class: the top class of the unaltered image (class 0, score 1)
    expect(result).toMatchObject({ classIndex: 0, baseScore: 1, height: SIZE, width: SIZE, evaluations: 16 + 1 });
    // the patch at (2, 4) hides the whole region: drop 1; every other patch: drop 0
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const inside = y >= 2 && y < 4 && x >= 4 && x < 6;
        expect(at(result.map, y, x), `(${y}, ${x})`).toBe(inside ? 1 : 0);
      }
    }
  });

  it('averages overlapping patches (stride 1), batched in uneven batches', async () => {
    batchSizes.length = 0;
    const result = await occlusionMap(toyModel, ones, { patch: 2, stride: 1, batchSize: 5 });
    // 7 × 7 = 49 patches in batches of 5: nine of 5 and one of 4 (after the unaltered image, n = 1)
    expect(batchSizes).toEqual([1, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4]);
    // pixel (2, 4) is covered by the patches at top ∈ {1, 2}, left ∈ {3, 4}; each hides of the region:
    //   (1,3): (2,4) → 1/4   (1,4): (2,4),(2,5) → 2/4   (2,3): (2,4),(3,4) → 2/4   (2,4): all → 1
    //   mean = (0.25 + 0.5 + 0.5 + 1)/4 = 0.5625
    expect(at(result.map, 2, 4)).toBeCloseTo(0.5625, 6);
    // pixel (1, 4), just above the region: patches (0,3) 0, (0,4) 0, (1,3) 1/4, (1,4) 2/4 → 0.1875
    expect(at(result.map, 1, 4)).toBeCloseTo(0.1875, 6);
    // pixel (0, 0) is covered by one patch, which hides nothing of the region
    expect(at(result.map, 0, 0)).toBe(0);
    expect(at(result.map, 7, 7)).toBe(0);
  });

  it('explains the requested class: hiding the region raises class 1, a negative map', async () => {
    const result = await occlusionMap(toyModel, ones, { patch: 2, stride: 2, classIndex: 1 });
    expect(result.baseScore).toBe(0);
    expect(at(result.map, 2, 4)).toBe(-1);
    expect(at(result.map, 0, 0)).toBe(0);
  });

  it('uses the baseline value: occluding with ones changes nothing', async () => {
    const result = await occlusionMap(toyModel, ones, { patch: 2, stride: 2, baseline: 1 });
    expect(result.map.every((value) => value === 0)).toBe(true);
  });

  it('rejects bad images, options and predict functions with EvalError codes', async () => {
    await expect(occlusionMap(toyModel, { ...ones, height: 7 }, { patch: 2 })).rejects.toMatchObject({ code: 'EVAL_LENGTH_MISMATCH' });
    await expect(occlusionMap(toyModel, ones, { patch: 0 })).rejects.toMatchObject({ code: 'EVAL_OPTION_INVALID' });
    await expect(occlusionMap(toyModel, ones, { patch: 2, classIndex: 2 })).rejects.toMatchObject({ code: 'EVAL_OPTION_INVALID' });
    await expect(occlusionMap(toyModel, ones, { patch: 2, baseline: [0, 0] })).rejects.toMatchObject({ code: 'EVAL_OPTION_INVALID' });
    const ragged: PredictFn = async (_batch, n) => new Float32Array(n * 2 + 1);
    await expect(occlusionMap(ragged, ones, { patch: 2 })).rejects.toMatchObject({ code: 'EVAL_VALUE_INVALID' });
  });
});
