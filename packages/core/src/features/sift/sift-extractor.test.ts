import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { Tensor } from '../../compute/tensor.js';
import { gpuForTests } from '../../node/testing/index.js';
import { decodeComponentState, encodeComponentState } from '../component-state.js';
import { loadFeatureExtractor } from '../load-feature-extractor.js';
import { SyntheticScene } from '../orb/synthetic-scene.js';
import { SiftExtractor, type SiftExtractorOptions } from './sift-extractor.js';
import { siftFeatures } from './sift-features.js';
import { SIFT_DEFAULTS } from './sift-options.js';

const device = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());
const SIZE = 48;

/** n views of seeded scenes as a normalized f32 batch [n, 1, SIZE, SIZE], as preprocessing gives. */
function batch(seeds: readonly number[]): Tensor {
  const data = new Float32Array(seeds.length * SIZE * SIZE);
  seeds.forEach((seed, i) => new SyntheticScene(seed, SIZE, 12).render(SIZE, 0, [0, 0]).forEach((v, k) => (data[i * SIZE * SIZE + k] = (v / 255 - 0.5) / 0.5)));
  return Tensor.cpu('f32', [seeds.length, 1, SIZE, SIZE], data);
}

const options: SiftExtractorOptions = { ...SIFT_DEFAULTS, keypoints: 40, words: 6, pooling: 'vlad', seed: 3 };

describe('SiftExtractor', () => {
  it('gives unit-length VLAD vectors of words × 128 after fit, the same after save and load', async () => {
    const extractor = await new SiftExtractor(options, device).fit(batch([1, 2, 3]));
    const features = (await device.read(await extractor.transform(batch([4, 5])))) as Float32Array;
    expect(extractor.length).toBe(6 * 128);
    expect(features.length).toBe(2 * 6 * 128);
    for (let row = 0; row < 2; row++) expect(Math.hypot(...features.subarray(row * 768, (row + 1) * 768))).toBeCloseTo(1, 5);
    const loaded = await loadFeatureExtractor(extractor.save(), { device });
    expect(loaded).toBeInstanceOf(SiftExtractor);
    expect(await device.read(await loaded.transform(batch([4, 5])))).toEqual(features);
  });

  it('gives L1-normalised word histograms with bovw pooling', async () => {
    const extractor = await new SiftExtractor({ ...options, pooling: 'bovw' }, device).fit(batch([1, 2]));
    const features = (await device.read(await extractor.transform(batch([4])))) as Float32Array;
    expect(features.length).toBe(6);
    expect(features.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
  });

  it('refuses to transform before fit, bad options, colour batches, a flat training set and a mismatched codebook', async () => {
    await expect(new SiftExtractor(options, device).transform(batch([1]))).rejects.toMatchObject({ code: 'FEATURE_NOT_FITTED' });
    expect(() => new SiftExtractor({ ...options, octaveLayers: 0 }, device)).toThrow(/sift: octaveLayers 0 must be an integer in \[1, 8\]/);
    expect(() => new SiftExtractor({ ...options, pooling: 'fisher' as never }, device)).toThrow(/pooling "fisher" is not one of bovw, vlad/);
    await expect(new SiftExtractor(options, device).fit(Tensor.cpu('f32', [1, 3, SIZE, SIZE]))).rejects.toThrow(/grayscale images/);
    await expect(new SiftExtractor(options, device).fit(Tensor.cpu('f32', [2, 1, SIZE, SIZE]))).rejects.toThrow(/no keypoint in 2 training images/);
    const extractor = await new SiftExtractor(options, device).fit(batch([1, 2]));
    const { header, body } = decodeComponentState(extractor.save(), 'sift', [1]);
    expect(() => SiftExtractor.load(encodeComponentState({ ...header, options: { ...options, words: 5 } }, body), device)).toThrow(/codebook holds 6 words, options say 5/);
  });

  it('describes 8-bit images as their f32 values', async () => {
    const pixels = new SyntheticScene(9, SIZE, 12).render(SIZE, 0, [0, 0]);
    const [fromBytes] = await siftFeatures(device, Tensor.cpu('u8', [1, SIZE, SIZE], pixels), { ...SIFT_DEFAULTS, keypoints: 30 });
    const [fromFloats] = await siftFeatures(device, Tensor.cpu('f32', [1, SIZE, SIZE], Float32Array.from(pixels)), { ...SIFT_DEFAULTS, keypoints: 30 });
    expect(fromBytes!.keypoints.length).toBeGreaterThan(5);
    expect(fromBytes).toEqual(fromFloats);
  });

  it.skipIf(!gpu.device)('finds the same keypoints and descriptors on WebGPU as on the CPU', async () => {
    // A batch of two, so the kernels' per-image planes are exercised on the GPU too.
    const images = Tensor.cpu('f32', [2, 64, 64], Float32Array.from([...new SyntheticScene(9, 64, 20).render(64, 0.3, [0, 0]), ...new SyntheticScene(10, 64, 20).render(64, 0, [0, 0])]));
    const wants = await siftFeatures(device, images, { ...SIFT_DEFAULTS, keypoints: 60 });
    const gots = await siftFeatures(gpu.device!, gpu.device!.upload(images), { ...SIFT_DEFAULTS, keypoints: 60 });
    expect(gots).toHaveLength(2);
    for (const [want, got] of wants.map((w, i) => [w, gots[i]] as const)) {
      // The GPU blur differs from the CPU's by ~5e-7 relative: keypoints land within far less than a
      // pixel of each other, and a descriptor (rounded to integers) moves by at most 1 in an entry. A
      // borderline extremum may fall on the other side of a threshold on another GPU: 95 % must pair up.
      expect(want!.keypoints.length).toBeGreaterThan(20);
      let paired = 0;
      let worst = 0;
      want!.keypoints.forEach((k, i) => {
        const j = got!.keypoints.findIndex((g) => Math.hypot(g.x - k.x, g.y - k.y) < 1e-3 && Math.abs(g.angle - k.angle) < 1e-2);
        if (j < 0) return;
        paired++;
        for (let e = 0; e < 128; e++) worst = Math.max(worst, Math.abs(got!.descriptors[j * 128 + e]! - want!.descriptors[i * 128 + e]!));
      });
      expect(paired).toBeGreaterThanOrEqual(0.95 * want!.keypoints.length);
      expect(worst).toBeLessThanOrEqual(1);
    }
  });
});
