import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import type { Device } from '../../compute/device.js';
import { Tensor } from '../../compute/tensor.js';
import { gpuForTests } from '../../node/testing/index.js';
import { loadFeatureExtractor } from '../load-feature-extractor.js';
import { PixelsExtractor } from './pixels-extractor.js';

const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());
const devices: { name: string; device: () => Device | undefined }[] = [
  { name: 'cpu', device: () => new CpuDevice() },
  { name: 'webgpu', device: () => gpu.device },
];

// Two 2×2 8-bit images.
const images = Tensor.cpu('u8', [2, 1, 2, 2], [0, 51, 102, 255, 255, 255, 0, 0]);

for (const { name, device } of devices) {
  describe.skipIf(name === 'webgpu' && !gpu.device)(`pixels extractor on ${name}`, () => {
    it('flattens each image and scales it', async () => {
      const extractor = new PixelsExtractor({ scale: 1 / 255 }, device()!);
      const features = await extractor.transform(images);
      expect(features.shape).toEqual([2, 4]);
      const values = Array.from(await device()!.read(features));
      expect(values.map((v) => Number(v.toFixed(6)))).toEqual([0, 0.2, 0.4, 1, 1, 1, 0, 0]);
    });

    it('standardizes with the mean and std fitted on training pixels, and a loaded state does the same', async () => {
      const extractor = await new PixelsExtractor({ scale: 1 / 255, standardize: true }, device()!).fit(images);
      // The scaled pixels; mean and population std over all of them.
      const scaled = [0, 0.2, 0.4, 1, 1, 1, 0, 0];
      const mean = scaled.reduce((a, b) => a + b) / 8;
      const std = Math.sqrt(scaled.reduce((a, b) => a + (b - mean) ** 2, 0) / 8);
      expect(extractor.statistics!.mean).toBeCloseTo(mean, 6);
      expect(extractor.statistics!.std).toBeCloseTo(std, 6);
      const got = Array.from(await device()!.read(await extractor.transform(images)));
      got.forEach((v, i) => expect(v).toBeCloseTo((scaled[i]! - mean) / std, 5));
      const loaded = await loadFeatureExtractor(extractor.save(), { device: device()! });
      expect(loaded).toBeInstanceOf(PixelsExtractor);
      expect(await device()!.read(await loaded.transform(images))).toEqual(await device()!.read(await extractor.transform(images)));
    });
  });
}

describe('pixels extractor errors', () => {
  const cpu = new CpuDevice();
  it('needs fit before standardizing, and rejects a zero scale or constant training data', async () => {
    await expect(new PixelsExtractor({ standardize: true }, cpu).transform(images)).rejects.toMatchObject({ code: 'FEATURE_NOT_FITTED' });
    expect(() => new PixelsExtractor({ scale: 0 }, cpu)).toThrow(/scale 0 must be a finite non-zero number/);
    await expect(new PixelsExtractor({ standardize: true }, cpu).fit(Tensor.cpu('f32', [2, 2], [3, 3, 3, 3]))).rejects.toThrow(/the training pixels are constant \(3\)/);
    await expect(new PixelsExtractor({}, cpu).transform(Tensor.cpu('f32', [4]))).rejects.toThrow(/batch \[4\] must be \[n, \.\.\.pixels\]/);
  });
});
