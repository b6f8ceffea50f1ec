import { afterAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import type { Device } from '../compute/device.js';
import { maxRelError } from '../compute/harness.js';
import { augmentImages } from '../compute/kernels/augment-images/augment-images.js';
import { Rng } from '../compute/random.js';
import { Tensor } from '../compute/tensor.js';
import { augmentSchema } from '../config/sections/augment.js';
import { gpuForTests } from '../node/testing/index.js';
import { augmentationEnabled, augmentBatch, augmentedRows, planAugmentation, type AugmentConfig, type AugmentedCopy } from './augment-batch.js';

const cpu = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

const augment = (config: object): AugmentConfig => augmentSchema.parse(config);
const everything = augment({
  flip: { horizontal: 0.5, vertical: 0.2 },
  rotate: { degrees: 20, probability: 0.5 },
  translate: { fraction: 0.2, probability: 0.5 },
  noise: { std: 0.1, probability: 0.5 },
  mixup: { alpha: 0.4, probability: 0.3 },
  cutmix: { alpha: 1, probability: 0.3 },
});

const [n, channels, height, width] = [12, 2, 9, 11];
const batch = Tensor.cpu('f32', [n, channels, height, width], new Rng(1).floats(n * channels * height * width, -2, 2));

async function copiesOn(device: Device, seed: number, config = everything): Promise<{ pixels: Float32Array; copies: AugmentedCopy[] }> {
  const result = await augmentBatch(device, device.upload(batch), config, new Rng(seed));
  if (!result) return { pixels: new Float32Array(0), copies: [] };
  const pixels = (await device.read(result.images)).slice() as Float32Array;
  result.images.dispose();
  return { pixels, copies: result.copies };
}

describe('augmentation plan', () => {
  it('counts every operation as enabling augmentation', () => {
    expect(augmentationEnabled(augment({}))).toBe(false);
    for (const on of [{ flip: { vertical: 0.1 } }, { rotate: { degrees: 10, probability: 0.1 } }, { translate: { fraction: 0.1, probability: 0.1 } }, { noise: { std: 1, probability: 0.1 } }, { mixup: { probability: 0.1 } }, { cutmix: { probability: 0.1 } }]) {
      expect(augmentationEnabled(augment(on)), JSON.stringify(on)).toBe(true);
    }
  });

  it('the same seed gives the same copies, pixel for pixel; another seed others', async () => {
    const a = await copiesOn(cpu, 7);
    const b = await copiesOn(cpu, 7);
    const c = await copiesOn(cpu, 8);
    expect(a.copies.length).toBeGreaterThan(0);
    expect(b.copies).toEqual(a.copies);
    expect(b.pixels).toEqual(a.pixels);
    expect(c.copies).not.toEqual(a.copies);
  });

  it('draws each operation with its probability; mixup and cutmix exclusive; partners are other images', () => {
    const copies = planAugmentation(20000, [height, width], everything, new Rng(3));
    const share = (test: (c: AugmentedCopy) => boolean) => copies.filter(test).length / 20000;
    expect(share((c) => c.params.flipH === true)).toBeCloseTo(0.5, 1);
    expect(share((c) => c.params.angle !== 0)).toBeCloseTo(0.5, 1);
    expect(share((c) => c.params.shift !== undefined)).toBeCloseTo(0.5, 1);
    expect(share((c) => c.params.noiseStd === 0.1)).toBeCloseTo(0.5, 1);
    expect(share((c) => c.params.mix?.kind === 'mixup')).toBeCloseTo(0.3, 1);
    expect(share((c) => c.params.mix?.kind === 'cutmix')).toBeCloseTo(0.3, 1);
    for (const c of copies) {
      expect(Math.abs(c.params.angle!)).toBeLessThanOrEqual((20 * Math.PI) / 180);
      if (c.params.mix) expect(c.partner).not.toBe(c.source);
      else expect([c.partner, c.lambda]).toEqual([-1, 1]);
    }
  });

  it('shifts are whole pixels within ±fraction·size per axis (0.2 of 11 wide: −2..2; of 9 high: −2..2), each value drawn', () => {
    const shifts = planAugmentation(20000, [height, width], everything, new Rng(6)).flatMap((c) => (c.params.shift ? [c.params.shift] : []));
    for (const axis of [0, 1]) {
      const values = new Set(shifts.map((s) => s[axis]!));
      expect([...values].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
    }
  });

  it('mixup λ ~ Beta(α, α); cutmix λ is 1 − the area of its box, which lies inside the image', () => {
    const copies = planAugmentation(20000, [height, width], everything, new Rng(4));
    const mixup = copies.filter((c) => c.params.mix?.kind === 'mixup').map((c) => c.lambda);
    const mean = mixup.reduce((s, v) => s + v, 0) / mixup.length;
    const variance = mixup.reduce((s, v) => s + (v - mean) ** 2, 0) / mixup.length;
    expect(mean).toBeCloseTo(0.5, 1);
    expect(variance).toBeCloseTo(0.25 / (2 * 0.4 + 1), 1); // Beta(α, α): 1 / (4(2α + 1))
    for (const c of copies) {
      const mix = c.params.mix;
      if (mix?.kind !== 'cutmix') continue;
      const [x0, y0, x1, y1] = mix.box;
      expect(0 <= x0 && x0 <= x1 && x1 <= width && 0 <= y0 && y0 <= y1 && y1 <= height).toBe(true);
      expect(c.lambda).toBe(Math.fround(1 - ((x1 - x0) * (y1 - y0)) / (height * width)));
    }
  });

  it('a batch of one image is never mixed (no partner)', () => {
    const copies = planAugmentation(1, [height, width], augment({ mixup: { probability: 1 } }), new Rng(5));
    expect(copies).toEqual([]);
    expect(planAugmentation(1, [height, width], augment({ mixup: { probability: 1 }, flip: { horizontal: 1 } }), new Rng(5))[0]!.partner).toBe(-1);
  });
});

describe('augmented copies on the device', () => {
  it('the copies are the kernel applied to the batch: a flip and a mixup checked by hand', async () => {
    const { pixels, copies } = await copiesOn(cpu, 11, augment({ flip: { horizontal: 1 }, mixup: { probability: 1, alpha: 1 } }));
    expect(copies).toHaveLength(n);
    const data = batch.data as Float32Array;
    const at = (img: number, c: number, y: number, x: number) => data[((img * channels + c) * height + y) * width + x]!;
    const plane = channels * height * width;
    copies.forEach((copy, k) => {
      for (const [c, y, x] of [[0, 0, 0], [1, 4, 7], [1, 8, 10]] as const) {
        const want = copy.lambda * at(copy.source, c, y, width - 1 - x) + (1 - copy.lambda) * at(copy.partner, c, y, x);
        expect(pixels[k * plane + (c * height + y) * width + x]).toBeCloseTo(want, 5);
      }
    });
  });

  it.skipIf(!gpu.device)('WebGPU makes the same copies as the CPU within the kernel tolerance', async () => {
    const want = await copiesOn(cpu, 21);
    const got = await copiesOn(gpu.device!, 21);
    expect(got.copies).toEqual(want.copies);
    expect(maxRelError(got.pixels, want.pixels)).toBeLessThanOrEqual(augmentImages.tolerance);
  });
});

describe('training rows of the copies', () => {
  const copy = (source: number, partner: number, lambda: number): AugmentedCopy => ({ params: { source }, source, partner, lambda });
  const labels = Int32Array.of(0, 1, 1, 2);

  it('a mixed copy of two labels is two rows (a, λ) and (b, 1 − λ) on the same features; same label or unmixed: one row of weight 1', () => {
    const rows = augmentedRows([copy(0, -1, 1), copy(0, 3, 0.25), copy(1, 2, 0.6), copy(3, 1, 0)], labels);
    expect(Array.from(rows.copy)).toEqual([0, 1, 1, 2, 3]);
    expect(Array.from(rows.labels)).toEqual([0, 0, 2, 1, 1]);
    expect(Array.from(rows.weights)).toEqual([1, 0.25, 0.75, 1, 1]);
    expect(Array.from(rows.source)).toEqual([0, 0, 0, 1, 3]);
  });
});
