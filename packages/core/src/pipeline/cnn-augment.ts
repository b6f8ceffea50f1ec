import type { Device } from '../compute/device.js';
import { Rng } from '../compute/random.js';
import { Tensor } from '../compute/tensor.js';
import type { CnnBatch } from '../train/cnn/cnn-sessions.js';
import { deriveSeed, SEED_PURPOSE } from '../train/seeds.js';
import { augmentBatch, augmentedRows, type AugmentConfig } from './augment-batch.js';

/**
 * A CNN sees its images, so augmentation is drawn afresh for every batch (heads over frozen
 * features get one copy per image before extraction instead): each image that draws an
 * augmentation is replaced by its copy, made on the Device by the `augment-images` kernel from a
 * generator seeded by the run's seed and the step. A mixed copy (mixup, cutmix) trains as two
 * rows with the same pixels, (label a, weight λ) and (label b, 1 − λ): its soft target's
 * cross-entropy, as augmentedRows defines it.
 */
export function cnnBatchAugmentation(device: Device, config: AugmentConfig, seed: number, item: readonly [number, number, number]) {
  const size = item[0] * item[1] * item[2];
  return async (batch: CnnBatch, step: number): Promise<CnnBatch> => {
    const n = batch.labels.length;
    const images = device.upload(Tensor.cpu('f32', [n, ...item], batch.x));
    const augmented = await augmentBatch(device, images, config, new Rng(deriveSeed(seed, SEED_PURPOSE.augment, step)));
    if (images.location === 'gpu') images.dispose();
    if (!augmented) return batch;
    const copies = (await device.read(augmented.images)) as Float32Array;
    augmented.images.dispose();
    const rows = augmentedRows(augmented.copies, batch.labels);
    const replaced = new Set(augmented.copies.map((c) => c.source));
    const kept = Array.from({ length: n }, (_, b) => b).filter((b) => !replaced.has(b));
    const total = kept.length + rows.copy.length;
    const out = { x: new Float32Array(total * size), labels: new Int32Array(total), rowWeights: new Float32Array(total) };
    const weightOf = (b: number) => (batch.rowWeights ? batch.rowWeights[b]! : 1);
    kept.forEach((b, r) => {
      out.x.set(batch.x.subarray(b * size, (b + 1) * size), r * size);
      out.labels[r] = batch.labels[b]!;
      out.rowWeights[r] = weightOf(b);
    });
    rows.copy.forEach((k, j) => {
      const r = kept.length + j;
      out.x.set(copies.subarray(k * size, (k + 1) * size), r * size);
      out.labels[r] = rows.labels[j]!;
      out.rowWeights[r] = rows.weights[j]! * weightOf(rows.source[j]!);
    });
    return out;
  };
}
