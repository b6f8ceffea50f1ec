import type { Device } from '../compute/device.js';
import { augmentImages } from '../compute/kernels/augment-images/augment-images.js';
import { AUGMENT_PLAN_FIELDS, NOISE_SEED_LIMIT, packAugmentPlan, type AugmentCopyParams } from '../compute/kernels/augment-images/augment-plan.js';
import type { Rng } from '../compute/random.js';
import { Tensor } from '../compute/tensor.js';
import type { PipelineConfig } from '../config/schema.js';

export type AugmentConfig = PipelineConfig['augment'];

/**
 * Heads train on frozen features, so augmentation happens once, before feature extraction: each
 * training image may add one augmented copy, with its parameters drawn on the host from a seeded
 * generator and the pixels made on the Device by the `augment-images` kernel.
 */

export function augmentationEnabled(augment: AugmentConfig): boolean {
  return (
    augment.flip.horizontal > 0 ||
    augment.flip.vertical > 0 ||
    augment.rotate.probability > 0 ||
    (augment.translate.probability > 0 && augment.translate.fraction > 0) ||
    augment.noise.probability > 0 ||
    augment.mixup.probability > 0 ||
    augment.cutmix.probability > 0
  );
}

/** One augmented copy: the kernel's parameters and how the copy is labelled. */
export interface AugmentedCopy {
  readonly params: AugmentCopyParams;
  /** Index in the batch of the image the copy is made from; its label gets weight `lambda`. */
  readonly source: number;
  /** Index of the image mixed in (mixup/cutmix), whose label gets 1 − `lambda`; −1 when not mixed. */
  readonly partner: number;
  /** The source's share of the copy: mixup's λ, or cutmix's 1 − (box area / image area); 1 when not mixed. */
  readonly lambda: number;
}

/**
 * Draws the copies of a batch of n images of height × width, deterministic for the generator's
 * state. Each image, independently, with the configured probabilities: a left-right and an up-down
 * flip, a rotation by an angle uniform in ±degrees, a shift of whole pixels uniform in
 * ±fraction·size per axis, Gaussian noise, and at most one mix with
 * another image of the batch — mixup with probability p_mixup, else cutmix with p_cutmix (so both
 * marginals hold while p_mixup + p_cutmix ≤ 1). An image that draws nothing adds no copy.
 */
export function planAugmentation(n: number, [height, width]: readonly [number, number], augment: AugmentConfig, rng: Rng): AugmentedCopy[] {
  const copies: AugmentedCopy[] = [];
  for (let i = 0; i < n; i++) {
    const flipH = rng.next() < augment.flip.horizontal;
    const flipV = rng.next() < augment.flip.vertical;
    const rotate = rng.next() < augment.rotate.probability;
    // Drawn only when configured, so the plans of configs without translate stay as they were.
    const translate = augment.translate.probability > 0 && rng.next() < augment.translate.probability;
    const noisy = rng.next() < augment.noise.probability;
    const u = rng.next();
    // A mix needs a partner: another image of the same batch.
    const mix = n < 2 ? null : u < augment.mixup.probability ? 'mixup' : u < augment.mixup.probability + augment.cutmix.probability ? 'cutmix' : null;
    if (!flipH && !flipV && !rotate && !translate && !noisy && !mix) continue;

    const angle = rotate ? (rng.uniform(-augment.rotate.degrees, augment.rotate.degrees) * Math.PI) / 180 : 0;
    // Whole pixels, as torchvision's RandomAffine rounds them: an unrotated copy stays sharp.
    const shift = (size: number) => Math.round(rng.uniform(-augment.translate.fraction * size, augment.translate.fraction * size)) || 0;
    const shifted = translate ? { shift: [shift(width), shift(height)] as const } : {};
    const noise = noisy ? { noiseStd: augment.noise.std, noiseSeed: rng.int(0, NOISE_SEED_LIMIT - 1) } : {};
    const base = { source: i, flipH, flipV, angle, ...shifted, ...noise };
    if (!mix) {
      copies.push({ params: base, source: i, partner: -1, lambda: 1 });
      continue;
    }
    const other = rng.int(0, n - 2);
    const partner = other >= i ? other + 1 : other;
    if (mix === 'mixup') {
      const lambda = Math.fround(rng.beta(augment.mixup.alpha, augment.mixup.alpha));
      copies.push({ params: { ...base, mix: { kind: 'mixup', partner, lambda } }, source: i, partner, lambda });
    } else {
      const box = cutmixBox(rng.beta(augment.cutmix.alpha, augment.cutmix.alpha), height, width, rng);
      // λ from the box actually pasted (clipping at the border shrinks it), as in the CutMix paper.
      const lambda = Math.fround(1 - ((box[2] - box[0]) * (box[3] - box[1])) / (height * width));
      copies.push({ params: { ...base, mix: { kind: 'cutmix', partner, box } }, source: i, partner, lambda });
    }
  }
  return copies;
}

/** A box of area ratio about 1 − λ and the image's aspect, centred on a uniform pixel, clipped to the image: [x0, y0, x1, y1). */
function cutmixBox(lambda: number, height: number, width: number, rng: Rng): [number, number, number, number] {
  const side = Math.sqrt(1 - lambda);
  const cutW = Math.round(width * side);
  const cutH = Math.round(height * side);
  const cx = rng.int(0, width - 1);
  const cy = rng.int(0, height - 1);
  const x0 = cx - Math.floor(cutW / 2);
  const y0 = cy - Math.floor(cutH / 2);
  const clip = (v: number, size: number) => Math.min(Math.max(v, 0), size);
  return [clip(x0, width), clip(y0, height), clip(x0 + cutW, width), clip(y0 + cutH, height)];
}

/**
 * Augmented copies of a preprocessed batch [n, C, H, W] (a device tensor, f32), made on the Device:
 * the batch is not read back. Returns the copies [copies, C, H, W] (the caller disposes them) and
 * how each was made, or null when no image drew an augmentation.
 */
export async function augmentBatch(device: Device, batch: Tensor, augment: AugmentConfig, rng: Rng): Promise<{ images: Tensor; copies: AugmentedCopy[] } | null> {
  const [n, , height, width] = batch.shape as [number, number, number, number];
  const copies = planAugmentation(n, [height, width], augment, rng);
  if (copies.length === 0) return null;
  const plan = device.upload(Tensor.cpu('f32', [copies.length, AUGMENT_PLAN_FIELDS], packAugmentPlan(copies.map((c) => c.params))));
  const { out } = await device.run(augmentImages, { images: batch, plan }, {});
  if (plan.location === 'gpu') plan.dispose();
  return { images: out, copies };
}

/** Training rows of augmented copies: which copy gives the features, the label, its weight, and the source image. */
export interface AugmentedRows {
  readonly copy: Int32Array;
  readonly labels: Int32Array;
  readonly weights: Float32Array;
  readonly source: Int32Array;
}

/**
 * The rows that train on the copies. Cross-entropy against the soft target λ·e_a + (1 − λ)·e_b is
 * λ·CE(a) + (1 − λ)·CE(b), so a mixed copy is two rows with the same features: (label a, weight λ)
 * and (label b, weight 1 − λ). A copy whose two labels agree, or that is not mixed, is one row of
 * weight 1; a row of weight 0 (an empty or whole-image cutmix box) is left out.
 */
export function augmentedRows(copies: readonly AugmentedCopy[], labels: Int32Array): AugmentedRows {
  const copy: number[] = [];
  const rowLabels: number[] = [];
  const weights: number[] = [];
  const source: number[] = [];
  const push = (k: number, label: number, weight: number) => {
    copy.push(k);
    rowLabels.push(label);
    weights.push(weight);
    source.push(copies[k]!.source);
  };
  copies.forEach((c, k) => {
    const a = labels[c.source]!;
    const b = c.partner >= 0 ? labels[c.partner]! : a;
    if (a === b) return push(k, a, 1);
    if (c.lambda > 0) push(k, a, c.lambda);
    if (c.lambda < 1) push(k, b, 1 - c.lambda);
  });
  return { copy: Int32Array.from(copy), labels: Int32Array.from(rowLabels), weights: Float32Array.from(weights), source: Int32Array.from(source) };
}
