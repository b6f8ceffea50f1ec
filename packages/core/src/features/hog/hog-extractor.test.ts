import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { hog } from '../../compute/kernels/hog/hog.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { gpuForTests } from '../../node/testing/index.js';
import { loadFeatureExtractor } from '../load-feature-extractor.js';
import { HogExtractor } from './hog-extractor.js';

const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());
const cpu = new CpuDevice();
const rng = new Rng(8);
// Three 28×28 8-bit images with one channel, as Fashion-MNIST batches come.
const images = Tensor.cpu('u8', [3, 1, 28, 28], Uint8Array.from({ length: 3 * 784 }, (_, i) => ((i % 28) * 9 + rng.int(0, 30)) % 256));
const options = { cellSize: [7, 7] as [number, number], blockSize: [2, 2] as [number, number] };

describe('hog extractor', () => {
  it('drops the channel axis and returns the kernel’s features [n, F]', async () => {
    const extractor = await new HogExtractor(options, cpu).fit(images);
    const features = await extractor.transform(images);
    expect(features.shape).toEqual([3, extractor.featureLength(28, 28)]);
    expect(extractor.featureLength(28, 28)).toBe(3 * 3 * 2 * 2 * 9);
    const { out } = await cpu.run(hog, { x: images.reshape([3, 28, 28]) }, options);
    expect(features.data).toEqual(out.data);
  });

  it.skipIf(!gpu.device)('gives the same features on webgpu as on the cpu (within f32 tolerance)', async () => {
    const want = (await new HogExtractor(options, cpu).transform(images)).data as Float32Array;
    const extractor = new HogExtractor(options, gpu.device!);
    const got = await gpu.device!.read(await extractor.transform(images));
    expect(got.length).toBe(want.length);
    got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-4));
  });

  it('saves its options and loads back as the same extractor', async () => {
    const extractor = new HogExtractor({ ...options, orientations: 12, binning: 'nearest' }, cpu);
    const loaded = await loadFeatureExtractor(extractor.save(), { device: cpu });
    expect(loaded).toBeInstanceOf(HogExtractor);
    expect((loaded as HogExtractor).options).toEqual(extractor.options);
    expect((await loaded.transform(images)).data).toEqual((await extractor.transform(images)).data);
  });

  it('rejects bad options and non-grayscale batches', async () => {
    expect(() => new HogExtractor({ orientations: 0 }, cpu)).toThrow(/hog: orientations 0 must be a positive integer/);
    expect(() => new HogExtractor({ orientations: 0 }, cpu)).toThrow(expect.objectContaining({ code: 'FEATURE_OPTION_INVALID' }));
    await expect(new HogExtractor(options, cpu).transform(Tensor.cpu('u8', [1, 3, 28, 28]))).rejects.toThrow(/must be grayscale images \[n, height, width\] or \[n, 1, height, width\]/);
  });
});
