import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { Tensor } from '../../compute/tensor.js';
import { FeatureError } from '../../errors.js';
import { gpuForTests } from '../../node/testing/index.js';
import { decodeComponentState, encodeComponentState } from '../component-state.js';
import { loadFeatureExtractor } from '../load-feature-extractor.js';
import { BRIEF_PATTERN, DESCRIPTOR_BITS, DESCRIPTOR_WORDS } from './brief.js';
import { OrbExtractor, unpackBits, type OrbExtractorOptions } from './orb-extractor.js';
import { SyntheticScene } from './synthetic-scene.js';

const device = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());
const SIZE = 80;

/** n views of seeded scenes as a normalized f32 batch [n, 1, SIZE, SIZE], as preprocessing gives. */
function batch(seeds: readonly number[]): Tensor {
  const data = new Float32Array(seeds.length * SIZE * SIZE);
  seeds.forEach((seed, i) => new SyntheticScene(seed, SIZE, 25).render(SIZE, 0, [0, 0]).forEach((v, k) => (data[i * SIZE * SIZE + k] = (v / 255 - 0.5) / 0.5)));
  return Tensor.cpu('f32', [seeds.length, 1, SIZE, SIZE], data);
}

const options: OrbExtractorOptions = { keypoints: 60, fastThreshold: 20, levels: 3, scaleFactor: 1.2, words: 12, pooling: 'bovw', seed: 3 };

describe('BRIEF test pattern', () => {
  it('is seeded, our own, and stays inside the rotated patch', () => {
    expect(BRIEF_PATTERN.length).toBe(DESCRIPTOR_BITS * 4);
    for (let i = 0; i < BRIEF_PATTERN.length; i += 2) expect(Math.hypot(BRIEF_PATTERN[i]!, BRIEF_PATTERN[i + 1]!)).toBeLessThanOrEqual(13);
    expect(new Set(Array.from({ length: DESCRIPTOR_BITS }, (_, i) => BRIEF_PATTERN.slice(i * 4, i * 4 + 4).join(','))).size).toBe(DESCRIPTOR_BITS);
  });
});

describe('OrbExtractor (bag of visual words)', () => {
  it('gives L1-normalised word histograms after fit, the same after save and load', async () => {
    const extractor = await new OrbExtractor(options, device).fit(batch([1, 2, 3, 4]));
    const features = (await device.read(await extractor.transform(batch([5, 6])))) as Float32Array;
    expect(features.length).toBe(2 * options.words);
    for (let row = 0; row < 2; row++) expect(features.subarray(row * 12, row * 12 + 12).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    const loaded = await loadFeatureExtractor(extractor.save(), { device });
    expect(loaded).toBeInstanceOf(OrbExtractor);
    expect(await device.read(await loaded.transform(batch([5, 6])))).toEqual(features);
  });

  it('fits the same codebook from the same seed, another from another seed', async () => {
    const data = batch([1, 2, 3]);
    const a = await new OrbExtractor(options, device).fit(data);
    const b = await new OrbExtractor(options, device).fit(data);
    const c = await new OrbExtractor({ ...options, seed: 4 }, device).fit(data);
    expect(a.codebook).toEqual(b.codebook);
    expect(a.codebook).not.toEqual(c.codebook);
  });

  it('refuses to transform before fit, bad options, colour batches, and a flat training set', async () => {
    await expect(new OrbExtractor(options, device).transform(batch([1]))).rejects.toMatchObject({ code: 'FEATURE_NOT_FITTED' });
    expect(() => new OrbExtractor({ ...options, words: 0 }, device)).toThrow(/orb: words 0 must be an integer ≥ 1/);
    await expect(new OrbExtractor(options, device).fit(Tensor.cpu('f32', [1, 3, SIZE, SIZE]))).rejects.toThrow(/grayscale images/);
    await expect(new OrbExtractor(options, device).fit(Tensor.cpu('f32', [2, 1, SIZE, SIZE]))).rejects.toThrow(FeatureError);
  });

  it('refuses a state whose codebook does not hold its number of words, or another test pattern', async () => {
    const extractor = await new OrbExtractor(options, device).fit(batch([1, 2]));
    const { header, body } = decodeComponentState(extractor.save(), 'orb', [3]);
    const withWords = (words: number) => encodeComponentState({ ...header, options: { ...options, words } }, body);
    expect(OrbExtractor.load(withWords(12), device).codebook).toEqual(extractor.codebook);
    expect(() => OrbExtractor.load(withWords(5), device)).toThrow(/codebook holds 12 words, options say 5/);
    expect(() => OrbExtractor.load(encodeComponentState({ ...header, patternSeed: 1 }, body), device)).toThrow(/test pattern 1/);
  });

  it('refuses states 1 and 2 (codebooks fitted to continuous-angle descriptors), saying to train again', async () => {
    const extractor = await new OrbExtractor({ ...options, levels: 1 }, device).fit(batch([1, 2]));
    const { header, body } = decodeComponentState(extractor.save(), 'orb', [3]);
    for (const version of [1, 2]) {
      expect(() => OrbExtractor.load(encodeComponentState({ ...header, version }, body), device)).toThrow(expect.objectContaining({ code: 'FEATURE_STATE_UNSUPPORTED', message: expect.stringMatching(new RegExp(`version ${version} .*train the model again`)) }));
    }
  });
});

describe('OrbExtractor (VLAD)', () => {
  it('unpacks descriptor bits to 0/1 floats, bit i of word w at column 32w + i', () => {
    const words = new Uint32Array(DESCRIPTOR_WORDS);
    words[0] = 0b101;
    words[7] = 0x80000000;
    const bits = unpackBits(words);
    expect(bits.length).toBe(DESCRIPTOR_BITS);
    expect([...bits.keys()].filter((i) => bits[i] === 1)).toEqual([0, 2, 255]);
  });

  it('gives unit-length vectors of words × 256 after fit, the same after save and load', async () => {
    const extractor = await new OrbExtractor({ ...options, pooling: 'vlad', words: 4 }, device).fit(batch([1, 2, 3]));
    expect(extractor.codebook).toBeInstanceOf(Float32Array);
    const features = (await device.read(await extractor.transform(batch([5, 6])))) as Float32Array;
    expect(extractor.length).toBe(4 * DESCRIPTOR_BITS);
    expect(features.length).toBe(2 * 4 * DESCRIPTOR_BITS);
    for (let row = 0; row < 2; row++) expect(Math.hypot(...features.subarray(row * 1024, (row + 1) * 1024))).toBeCloseTo(1, 5);
    const loaded = await loadFeatureExtractor(extractor.save(), { device });
    expect(await device.read(await loaded.transform(batch([5, 6])))).toEqual(features);
  });

  it.skipIf(!gpu.device)('gives the same vectors on WebGPU as on the CPU (FAST scores on the Device are exact)', async () => {
    const fitted = await new OrbExtractor(options, device).fit(batch([1, 2, 3]));
    const onGpu = await loadFeatureExtractor(fitted.save(), { device: gpu.device! });
    const images = batch([4, 5]);
    const want = await device.read(await fitted.transform(images));
    const got = await gpu.device!.read(await onGpu.transform(gpu.device!.upload(images)));
    expect(got).toEqual(want);
  });
});
