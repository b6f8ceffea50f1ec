import type { Device } from '../../compute/device.js';
import { augmentImages } from '../../compute/kernels/augment-images/augment-images.js';
import { AUGMENT_PLAN_FIELDS, packAugmentPlan, type AugmentCopyParams } from '../../compute/kernels/augment-images/augment-plan.js';
import type { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { planAugmentation, type AugmentConfig } from '../../pipeline/augment-batch.js';

/**
 * Views of a batch [n, C, H, W] made on the Device by the `augment-images` kernel: for each
 * augmentation config in `views`, one view of every image (its flips, rotation, shift and noise drawn
 * from `rng` with that config's probabilities; an image that draws nothing is its own view).
 * Mixes are not views of one image, so mixup and cutmix draws are left out. Returns
 * [views·n, C, H, W], view v of image i at row v·n + i; the caller disposes it.
 */
export async function augmentedViews(device: Device, images: Tensor, views: readonly AugmentConfig[], rng: Rng): Promise<Tensor> {
  const [n, , height, width] = images.shape as [number, number, number, number];
  const rows: AugmentCopyParams[] = [];
  for (const config of views) {
    const drawn = new Map(planAugmentation(n, [height, width], config, rng).map((copy) => [copy.source, copy.params]));
    for (let i = 0; i < n; i++) {
      const params = drawn.get(i);
      rows.push(params ? { source: i, flipH: params.flipH, flipV: params.flipV, angle: params.angle, shift: params.shift, noiseStd: params.noiseStd, noiseSeed: params.noiseSeed } : { source: i });
    }
  }
  const plan = device.upload(Tensor.cpu('f32', [rows.length, AUGMENT_PLAN_FIELDS], packAugmentPlan(rows)));
  const { out } = await device.run(augmentImages, { images, plan }, {});
  plan.dispose();
  return out;
}
