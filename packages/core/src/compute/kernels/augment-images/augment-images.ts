import type { KernelDef } from '../../kernel.js';
import { augmentImagesCpu } from './augment-images.cpu.js';
import { augmentImagesDims, augmentImagesOutputs, type AugmentImagesAttrs } from './augment-images.shape.js';
import { augmentImagesWgsl } from './augment-images.wgsl.js';

export type { AugmentImagesAttrs } from './augment-images.shape.js';
export { AUGMENT_PLAN_FIELDS, MIX_KIND, NOISE_SEED_LIMIT, PLAN, packAugmentPlan, type AugmentCopyParams } from './augment-plan.js';

/**
 * Training-time augmentation of a batch of planar images, one output copy per plan row:
 *   out = noise + mix(translate(rotate(flip(images[source]))), images[partner]).
 * - flip: mirror about the image centre (left-right and/or up-down);
 * - rotate: by θ counter-clockwise (as displayed) about the centre ((W − 1)/2, (H − 1)/2), by
 *   inverse-mapped bilinear sampling; taps outside the image read 0 (the normalized mean, so a
 *   rotated image's corners fade to neutral instead of smearing the edge pixels);
 * - translate: move the rotated image by (dx, dy) pixels in the same inverse map; the strip
 *   uncovered at the border reads 0, as a zero-padded random crop;
 * - mix: mixup λ·v + (1 − λ)·partner, or cutmix (the partner's pixels inside a box); the partner
 *   is taken as it is (not flipped or rotated), at the same output pixel;
 * - noise: std · N(0, 1), counter-based from (seed, element index), the same on every backend.
 * An image index outside [0, n) reads as a zero image.
 */
export const augmentImages: KernelDef<'images' | 'plan', 'out', AugmentImagesAttrs> = {
  name: 'augment-images',
  description: 'augmented copies of [n, C, H, W] images per a plan table: flip, rotate and translate (bilinear), mixup/cutmix, seeded Gaussian noise',
  inputs: { images: ['f32'], plan: ['f32'] },
  outputs: augmentImagesOutputs,
  cpu: ({ images, plan }, _attrs, { out }) => augmentImagesCpu(images.data as Float32Array, plan.data as Float32Array, augmentImagesDims(images, plan), out as Float32Array),
  wgsl: augmentImagesWgsl,
  // Two f32 sources of error, both absolute: the rotated sample coordinate (a few roundings of
  // values up to the image's half-size: ~1e-5 px at 100 px, times the local pixel slope) and the
  // noise's f32 log/sqrt (near r = 1 the log loses relative accuracy). Lavapipe, 30 seeds each of
  // 6 copies of [2, 3, 100, 100] pixels in [−3, 3] (slopes up to 6): rotation 5.6e-5, noise
  // (std 1) 2.5e-5. So the element-wise 1e-4 of DESIGN holds to about this size and contrast;
  // larger images or steeper images drift past it in proportion.
  tolerance: 1e-4,
};
