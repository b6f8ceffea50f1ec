// ORB on the Device: orientation, steered BRIEF and the Hamming word assignment run as kernels
// (orb-orientation, orb-brief, hamming-nearest); on the CPU Device their references run. Both must
// give the host path's keypoints and the very same descriptor bits, on any backend.
import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { gpuForTests } from '../../node/testing/index.js';
import { DESCRIPTOR_WORDS, hamming } from './brief.js';
import { grayImage, type GrayImage } from './gray-image.js';
import { orbFeaturesOnDevice } from './orb-device-features.js';
import { orbFeatures, type OrbOptions } from './orb-features.js';
import { SyntheticScene } from './synthetic-scene.js';
import { fitCodebook, wordHistograms } from './visual-words.js';

const cpu = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

const SIZE = 96;
const OPTIONS: OrbOptions = { keypoints: 120, fastThreshold: 20, levels: 3, scaleFactor: 1.2 };
/** Views of one scene, turned and shifted, so orientations spread over the circle. */
const IMAGES: GrayImage[] = [0, 0.7, 2.2].map((angle, i) => grayImage(new SyntheticScene(11, SIZE).render(SIZE, angle, [i, -i]), 0, SIZE, SIZE));

describe('ORB features on the Device', () => {
  it('give the host path’s keypoints and descriptors on the CPU Device, image by image', async () => {
    const onDevice = await orbFeaturesOnDevice(cpu, IMAGES, OPTIONS);
    IMAGES.forEach((image, i) => {
      const host = orbFeatures(image, OPTIONS);
      expect(host.keypoints.length).toBeGreaterThan(40);
      expect(new Set(host.keypoints.map((k) => k.level)).size).toBe(3);
      expect(onDevice[i]!.keypoints).toEqual(host.keypoints);
      expect(onDevice[i]!.descriptors).toEqual(host.descriptors);
    });
  });

  it('orient keypoints over the whole circle, and refuse images of different sizes', async () => {
    const angles = orbFeatures(IMAGES[1]!, OPTIONS).keypoints.map((k) => k.angle);
    expect(Math.min(...angles)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...angles)).toBeLessThan(2 * Math.PI);
    expect(new Set(angles.map((a) => Math.floor(a / (Math.PI / 2)))).size).toBe(4);
    await expect(orbFeaturesOnDevice(cpu, [IMAGES[0]!, grayImage(new Uint8Array(80 * 80), 0, 80, 80)], OPTIONS)).rejects.toThrow(/96×96 and 80×80 differ/);
  });

  it.skipIf(!gpu.device)('are bit-identical on WebGPU and on the CPU', async () => {
    const want = await orbFeaturesOnDevice(cpu, IMAGES, OPTIONS);
    const got = await orbFeaturesOnDevice(gpu.device!, IMAGES, OPTIONS);
    expect(gpu.device!.backend).toBe('webgpu');
    for (let i = 0; i < IMAGES.length; i++) {
      expect(got[i]!.keypoints).toEqual(want[i]!.keypoints);
      expect(got[i]!.descriptors).toEqual(want[i]!.descriptors);
    }
  });
});

describe('binary bag of words on the Device', () => {
  const perImage = IMAGES.map((image) => orbFeatures(image, OPTIONS).descriptors);
  const all = new Uint32Array(perImage.flatMap((d) => [...d]));

  /** The word nearest descriptor k of `descriptors` by brute force, the lowest index on ties. */
  const nearest = (descriptors: Uint32Array, k: number, codebook: Uint32Array) => {
    const distances = Array.from({ length: codebook.length / DESCRIPTOR_WORDS }, (_, w) => hamming(descriptors, k, codebook, w));
    return distances.indexOf(Math.min(...distances));
  };

  it('fits a k-majority fixed point: each word the bitwise majority of the descriptors nearest it', async () => {
    const codebook = await fitCodebook(cpu, all, 6, { seed: 2, iterations: 100 });
    const members: number[][] = Array.from({ length: 6 }, () => []);
    for (let k = 0; k < all.length / DESCRIPTOR_WORDS; k++) members[nearest(all, k, codebook)]!.push(k);
    expect(members.filter((m) => m.length > 0).length).toBeGreaterThan(3);
    members.forEach((rows, w) => {
      if (rows.length === 0) return;
      for (let bit = 0; bit < 256; bit++) {
        const ones = rows.filter((k) => (all[k * DESCRIPTOR_WORDS + (bit >> 5)]! >>> (bit & 31)) & 1).length;
        expect((codebook[w * DESCRIPTOR_WORDS + (bit >> 5)]! >>> (bit & 31)) & 1, `word ${w} bit ${bit}`).toBe(2 * ones > rows.length ? 1 : 0);
      }
    });
  });

  it('counts each descriptor at its nearest word, per image, L1-normalised', async () => {
    const codebook = await fitCodebook(cpu, all, 6, { seed: 2, iterations: 20 });
    const histograms = new Float32Array(perImage.length * 6);
    await wordHistograms(cpu, perImage, codebook, histograms);
    perImage.forEach((descriptors, image) => {
      const total = descriptors.length / DESCRIPTOR_WORDS;
      const want = new Array<number>(6).fill(0);
      for (let k = 0; k < total; k++) want[nearest(descriptors, k, codebook)]! += 1 / total;
      want.forEach((v, w) => expect(histograms[image * 6 + w]).toBeCloseTo(v, 6));
    });
  });

  it.skipIf(!gpu.device)('fits the same codebook and histograms on WebGPU as on the CPU', async () => {
    const want = await fitCodebook(cpu, all, 6, { seed: 2, iterations: 20 });
    const got = await fitCodebook(gpu.device!, all, 6, { seed: 2, iterations: 20 });
    expect(got).toEqual(want);
    const [a, b] = [new Float32Array(perImage.length * 6), new Float32Array(perImage.length * 6)];
    await wordHistograms(cpu, perImage, want, a);
    await wordHistograms(gpu.device!, perImage, got, b);
    expect(b).toEqual(a);
  });
});
