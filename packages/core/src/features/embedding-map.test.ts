import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import { Rng } from '../compute/random.js';
import { Tensor } from '../compute/tensor.js';
import { gpuForTests } from '../node/testing/index.js';
import { embeddingMap } from './embedding-map.js';

const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

/** Three labelled clusters in 10-D, spread mostly along two directions. */
function clusters(): { x: Tensor; labels: string[] } {
  const rng = new Rng(21);
  const centres = [
    [6, 0],
    [-6, 0],
    [0, 3],
  ];
  const rows: number[] = [];
  const labels: string[] = [];
  for (let i = 0; i < 90; i++) {
    const k = i % 3;
    const [a, b] = centres[k]!;
    // Along axes 0 and 1 mostly; small noise elsewhere.
    rows.push(a! + 0.3 * rng.normal(), b! + 0.3 * rng.normal(), ...Array.from({ length: 8 }, () => 0.05 * rng.normal()));
    labels.push(['shirt', 'boot', 'bag'][k]!);
  }
  return { x: Tensor.cpu('f32', [90, 10], rows), labels };
}

describe('embedding map', () => {
  for (const name of ['cpu', 'webgpu'] as const) {
    it.skipIf(name === 'webgpu' && !gpu.device)(`projects embeddings to 2-D points with their labels (${name})`, async () => {
      const { x, labels } = clusters();
      const device = name === 'cpu' ? new CpuDevice() : gpu.device!;
      const map = await embeddingMap(x, labels, { device });
      expect(map.points).toHaveLength(180);
      expect(map.labels).toEqual(labels);
      const [first, second] = map.explainedVarianceRatio;
      expect(first).toBeGreaterThan(second);
      expect(first + second).toBeGreaterThan(0.99);
      // The clusters stay apart: x of shirts and boots have opposite signs, bags sit between.
      const meanX = (label: string) => {
        const xs = labels.flatMap((l, i) => (l === label ? [map.points[2 * i]!] : []));
        return xs.reduce((a, b) => a + b) / xs.length;
      };
      expect(Math.abs(meanX('shirt') - meanX('boot'))).toBeGreaterThan(10);
      expect(Math.abs(meanX('bag'))).toBeLessThan(1);
    });
  }

  it('maps one dimension to a line and one sample to the origin; labels must match the points', async () => {
    const line = await embeddingMap(Tensor.cpu('f32', [3, 1], [1, 2, 3]), [0, 1, 2]);
    expect(Array.from(line.points)).toEqual([-1, 0, 0, 0, 1, 0]);
    expect(line.explainedVarianceRatio).toEqual([1, 0]);
    const single = await embeddingMap(Tensor.cpu('f32', [1, 4], [1, 2, 3, 4]), ['only']);
    expect(Array.from(single.points)).toEqual([0, 0]);
    await expect(embeddingMap(Tensor.cpu('f32', [3, 2]), ['a'])).rejects.toThrow(/1 labels for 3 embeddings/);
  });
});
