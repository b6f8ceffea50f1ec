import { describe, expect, it } from 'vitest';
import { Rng } from '../../compute/random.js';
import type { PlanarImage, PredictFn } from '../explain-input.js';
import { kernelShapMap, shapleyKernelWeight } from './kernel-shap.js';
import { limeMap } from './lime.js';
import { gridSuperpixels } from './superpixels.js';

// A 24×24 two-channel image whose model reads only its top-left 8×8 region: on a 6 × 6 grid (4×4
// cells) that region is exactly cells 0, 1, 6, 7, so where the attributions must fall is known.
const SIZE = 24;
const REGION = 8;

function testImage(seed: number): PlanarImage {
  const rng = new Rng(seed);
  const data = new Float32Array(2 * SIZE * SIZE);
  for (let c = 0; c < 2; c++) {
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) data[c * SIZE * SIZE + y * SIZE + x] = y < REGION && x < REGION ? 0.8 + 0.2 * rng.next() : 0.5 * rng.next();
    }
  }
  return { data, channels: 2, height: SIZE, width: SIZE };
}

/** The region's mean of channel 0, weighted per pixel by `pixelWeight`: class 1 = it, class 0 = 1 − it. */
function regionModel(pixelWeight: (y: number, x: number) => number, squash = (v: number) => v): PredictFn {
  return async (batch, n) => {
    const out = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let y = 0; y < REGION; y++) for (let x = 0; x < REGION; x++) sum += pixelWeight(y, x) * batch[i * 2 * SIZE * SIZE + y * SIZE + x]!;
      const score = squash(sum / (REGION * REGION));
      out[i * 2] = 1 - score;
      out[i * 2 + 1] = score;
    }
    return out;
  };
}

const REGION_CELLS = new Set([0, 1, 6, 7]);

/** Share of the attributions' absolute mass on the cells the model reads. */
function shareInRegion(attributions: Float64Array): number {
  let inside = 0;
  let total = 0;
  attributions.forEach((a, j) => {
    total += Math.abs(a);
    if (REGION_CELLS.has(j)) inside += Math.abs(a);
  });
  return inside / total;
}

/** The smallest attribution on the region's cells (all must be positive: showing them raises the score). */
const weakestInside = (attributions: Float64Array) => Math.min(...[...REGION_CELLS].map((j) => attributions[j]!));
const strongestOutside = (attributions: Float64Array) => Math.max(...Array.from(attributions, (a, j) => (REGION_CELLS.has(j) ? 0 : Math.abs(a))));

describe('grid superpixels', () => {
  it('splits the image into about the asked number of even cells, every label used', () => {
    const grid = gridSuperpixels(24, 24, 36);
    expect(grid.count).toBe(36);
    expect(grid.labels[0]).toBe(0);
    expect(grid.labels[3 * 24 + 3]).toBe(0);
    expect(grid.labels[4]).toBe(1);
    expect(grid.labels[4 * 24]).toBe(6);
    expect(new Set(grid.labels).size).toBe(36);
    // Wide images get more columns than rows; a 3-pixel side caps the rows.
    const wide = gridSuperpixels(3, 40, 30);
    expect(wide.count).toBeGreaterThanOrEqual(20);
    expect(Math.max(...wide.labels) + 1).toBe(wide.count);
  });
});

describe('LIME over superpixels', () => {
  const image = testImage(1);

  it('puts the attribution on the region the model reads, positive for the class it supports', async () => {
    const result = await limeMap(regionModel(() => 1, (v) => 1 / (1 + Math.exp(-8 * (v - 0.5)))), image, { samples: 400, seed: 3 });
    expect(result.classIndex).toBe(1);
    expect(result.superpixels.count).toBe(36);
    expect(shareInRegion(result.attributions)).toBeGreaterThan(0.8);
    expect(weakestInside(result.attributions)).toBeGreaterThan(strongestOutside(result.attributions));
    expect(result.map[0]).toBe(Math.fround(result.attributions[0]!));
    expect(result.map[SIZE * SIZE - 1]).toBe(Math.fround(result.attributions[35]!));
    expect(result.evaluations).toBe(401);
  });

  it('gives the same map for the same seed and another for another seed', async () => {
    const model = regionModel((y) => (y < 4 ? 2 : 0.5));
    const a = await limeMap(model, image, { samples: 200, seed: 7 });
    const b = await limeMap(model, image, { samples: 200, seed: 7, batchSize: 5 });
    const c = await limeMap(model, image, { samples: 200, seed: 8 });
    expect(Array.from(b.map)).toEqual(Array.from(a.map));
    expect(Array.from(c.map)).not.toEqual(Array.from(a.map));
  });

  it('refuses a non-positive kernel width, naming it', async () => {
    await expect(limeMap(regionModel(() => 1), image, { kernelWidth: 0 })).rejects.toThrow(/kernelWidth is 0/);
  });
});

describe('kernel SHAP over superpixels', () => {
  const image = testImage(2);

  it('is exact on an additive model when every coalition is scored: φ_j = w·Σ (x − mean) over cell j', async () => {
    // 3 × 3 grid of 8×8 cells: the region is cell 0 alone; pixel weights make it additive per pixel.
    const weight = (y: number, x: number) => 1 + (y * REGION + x) / 64;
    const result = await kernelShapMap(regionModel(weight), image, { segments: 9, samples: 600, classIndex: 1 });
    expect(result.exact).toBe(true);
    expect(result.evaluations).toBe(2 + 510);
    let mean = 0;
    for (let p = 0; p < SIZE * SIZE; p++) mean += image.data[p]!;
    mean /= SIZE * SIZE;
    let expected = 0;
    for (let y = 0; y < REGION; y++) for (let x = 0; x < REGION; x++) expected += (weight(y, x) * (image.data[y * SIZE + x]! - mean)) / 64;
    expect(result.attributions[0]).toBeCloseTo(expected, 6);
    for (let j = 1; j < 9; j++) expect(Math.abs(result.attributions[j]!)).toBeLessThan(1e-6);
  });

  it('meets efficiency to 1e-6 when sampling: Σφ = f(x) − f(all hidden)', async () => {
    const model = regionModel(() => 1, (v) => v * v);
    const result = await kernelShapMap(model, image, { samples: 300, seed: 4 });
    expect(result.exact).toBe(false);
    const sum = result.attributions.reduce((s, a) => s + a, 0);
    expect(Math.abs(sum - (result.baseScore - result.baselineScore))).toBeLessThan(1e-6);
    expect(shareInRegion(result.attributions)).toBeGreaterThan(0.9);
    expect(weakestInside(result.attributions)).toBeGreaterThan(strongestOutside(result.attributions));
  });

  it('gives the same map for the same seed and another for another seed', async () => {
    const model = regionModel(() => 1, Math.sqrt);
    const a = await kernelShapMap(model, image, { samples: 120, seed: 1 });
    const b = await kernelShapMap(model, image, { samples: 120, seed: 1, batchSize: 7 });
    const c = await kernelShapMap(model, image, { samples: 120, seed: 2 });
    expect(Array.from(b.map)).toEqual(Array.from(a.map));
    expect(Array.from(c.map)).not.toEqual(Array.from(a.map));
  });

  it('weights coalitions with the Shapley kernel, symmetric in size', () => {
    expect(shapleyKernelWeight(4, 1)).toBeCloseTo(3 / (4 * 1 * 3), 12);
    expect(shapleyKernelWeight(10, 3)).toBeCloseTo(shapleyKernelWeight(10, 7), 12);
  });
});
