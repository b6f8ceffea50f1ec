// The shifts of the power study, applied to 28×28 8-bit Fashion-MNIST images: brightness, rotation
// and noise through the core's augment-images kernel (the one training's augmentation runs),
// Gaussian blur here (the core has no blur op), each result rounded back to 8 bits as a scanner
// would store it.
import { augmentImages, packAugmentPlan, Tensor, type AugmentCopyParams, type Device } from '@cvf/core';

export const SIDE = 28;
const PIXELS = SIDE * SIDE;

export type Shift = (device: Device, images: readonly Uint8Array[], seed: number) => Promise<Uint8Array[]>;

/** Every value times `factor` (0.7: 30% darker). */
export function brightness(factor: number): Shift {
  return async (_device, images) => images.map((image) => Uint8Array.from(image, (v) => Math.round(v * factor)));
}

/** Rotated by `degrees` about the centre (bilinear; corners brought in from outside are 0). */
export function rotation(degrees: number): Shift {
  return (device, images) => augmented(device, images, () => ({ angle: (degrees * Math.PI) / 180 }));
}

/** Additive Gaussian noise of standard deviation `sigma` on the 0..1 scale, clamped to 0..1. */
export function gaussianNoise(sigma: number): Shift {
  return (device, images, seed) => augmented(device, images, (i) => ({ noiseStd: sigma, noiseSeed: (seed * 7919 + i) % 2 ** 24 }));
}

/** A separable Gaussian blur of `sigma` pixels (kernel radius 3σ, edges repeated). */
export function gaussianBlur(sigma: number): Shift {
  const radius = Math.ceil(3 * sigma);
  const weights = Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)));
  const total = weights.reduce((a, b) => a + b, 0);
  const kernel = weights.map((w) => w / total);
  const at = (x: number) => Math.min(SIDE - 1, Math.max(0, x));
  return async (_device, images) =>
    images.map((image) => {
      const rows = new Float64Array(PIXELS);
      for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) rows[y * SIDE + x] = kernel.reduce((s, w, k) => s + w * image[y * SIDE + at(x + k - radius)]!, 0);
      const out = new Uint8Array(PIXELS);
      for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) out[y * SIDE + x] = Math.round(kernel.reduce((s, w, k) => s + w * rows[at(y + k - radius) * SIDE + x]!, 0));
      return out;
    });
}

/** The augment-images kernel over the images on 0..1, one copy each, clamped and rounded back to 8 bits. */
async function augmented(device: Device, images: readonly Uint8Array[], copy: (i: number) => Omit<AugmentCopyParams, 'source'>): Promise<Uint8Array[]> {
  const stacked = new Float32Array(images.length * PIXELS);
  images.forEach((image, i) => stacked.set(Float32Array.from(image, (v) => v / 255), i * PIXELS));
  const plan = packAugmentPlan(images.map((_, i) => ({ source: i, ...copy(i) })));
  const { out } = await device.run(augmentImages, { images: Tensor.cpu('f32', [images.length, 1, SIDE, SIDE], stacked), plan: Tensor.cpu('f32', [images.length, plan.length / images.length], plan) }, {});
  const values = (await device.read(out)) as Float32Array;
  out.dispose();
  return images.map((_, i) => Uint8Array.from(values.subarray(i * PIXELS, (i + 1) * PIXELS), (v) => Math.round(255 * Math.min(1, Math.max(0, v)))));
}
