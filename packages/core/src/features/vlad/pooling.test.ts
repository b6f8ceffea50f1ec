import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { Rng } from '../../compute/random.js';
import { gpuForTests } from '../../node/testing/index.js';
import { evenlySpacedRows, fitFloatCodebook } from './float-codebook.js';
import { floatWordHistogram, pooledLength, vladVector } from './pooling.js';

describe('VLAD pooling', () => {
  it('sums residuals per nearest word, then power- and L2-normalises', () => {
    // Words (0, 0) and (10, 10); (1, 0) and (0, 3) are nearest the first, (11, 10) the second.
    // Residual sums (1, 3) and (1, 0) → signed square roots (1, √3, 1, 0) → norm √5.
    const out = new Float32Array(4);
    vladVector(Float32Array.of(1, 0, 0, 3, 11, 10), Float32Array.of(0, 0, 10, 10), 2, out);
    const r5 = Math.sqrt(5);
    expect(Array.from(out)).toEqual([1 / r5, Math.sqrt(3) / r5, 1 / r5, 0].map(Math.fround));
  });

  it('keeps the sign of a negative residual and gives zeros for an image without descriptors', () => {
    const out = new Float32Array(2);
    vladVector(Float32Array.of(-4, 0), Float32Array.of(0, 0), 2, out);
    expect(Array.from(out)).toEqual([-1, 0]);
    vladVector(new Float32Array(0), Float32Array.of(0, 0), 2, out);
    expect(Array.from(out)).toEqual([0, 0]);
  });

  it('has length words × dim (VLAD) or words (bag of words)', () => {
    expect(pooledLength('vlad', 16, 128)).toBe(2048);
    expect(pooledLength('bovw', 16, 128)).toBe(16);
    const histogram = new Float32Array(2);
    floatWordHistogram(Float32Array.of(1, 0, 0, 3, 11, 10), Float32Array.of(0, 0, 10, 10), 2, histogram);
    expect(Array.from(histogram)).toEqual([2 / 3, 1 / 3].map(Math.fround));
  });
});

const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

describe('float k-means codebook', () => {
  it('fits on at most a sample of evenly spaced rows, whole rows in order', () => {
    const rows = Uint32Array.from({ length: 20 }, (_, i) => i); // 10 rows of width 2
    expect(Array.from(evenlySpacedRows(rows, 2, 4))).toEqual([0, 1, 4, 5, 10, 11, 14, 15]);
    expect(evenlySpacedRows(rows, 2, 10)).toBe(rows);
  });

  it('finds two well-separated clusters from a seeded start, the same for the same seed', async () => {
    const device = new CpuDevice();
    const points = Float32Array.of(0, 0, 1, 0, 0, 1, 20, 20, 21, 20, 20, 21);
    const a = await fitFloatCodebook(device, points, 2, 2, { seed: 5, iterations: 10 });
    const centres = [Array.from(a.subarray(0, 2)), Array.from(a.subarray(2, 4))].sort((p, q) => p[0]! - q[0]!);
    expect(centres[0]![0]).toBeCloseTo(1 / 3, 5);
    expect(centres[0]![1]).toBeCloseTo(1 / 3, 5);
    expect(centres[1]![0]).toBeCloseTo(61 / 3, 4);
    expect(await fitFloatCodebook(device, points, 2, 2, { seed: 5, iterations: 10 })).toEqual(a);
  });

  it.skipIf(!gpu.device)('fits the same codebook with its assignment step on WebGPU as on the CPU', async () => {
    // 3 000 rows of 32 dims around 8 far-apart centres: no row is near a tie, so both backends assign alike.
    const rng = new Rng(2);
    const centres = Array.from({ length: 8 }, () => rng.floats(32, -50, 50));
    const rows = new Float32Array(3000 * 32);
    for (let i = 0; i < 3000; i++) for (let d = 0; d < 32; d++) rows[i * 32 + d] = centres[i % 8]![d]! + rng.normal();
    const options = { seed: 4, iterations: 15 };
    const want = await fitFloatCodebook(new CpuDevice(), rows, 32, 8, options);
    const got = await fitFloatCodebook(gpu.device!, rows, 32, 8, options);
    expect(Array.from(got)).toEqual(Array.from(want));
  });
});
