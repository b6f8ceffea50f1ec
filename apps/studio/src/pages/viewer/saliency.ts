import { deviceImage, occlusionMap, Tensor, type Device, type Predictor, type SaliencyMap } from '@cvf/core';
import type { planarUnitImage } from './model-input.js';

/** Patches per image side: about 8, so a map costs ~15×15 predictions whatever the image size. */
const PATCHES_PER_SIDE = 8;

/**
 * An occlusion map (core's model-agnostic explainability) of the class the model predicts: grey
 * patches slide over the model's input and the drop of that class's probability is recorded, each
 * occluded image going through the same Predictor (preprocessing, extractor, PCA, head) on the Device.
 */
export async function explainPrediction(device: Device, predictor: Predictor, image: Awaited<ReturnType<typeof planarUnitImage>>, classIndex: number): Promise<SaliencyMap> {
  const { channels, height, width } = image;
  const patch = Math.max(2, Math.round(Math.min(height, width) / PATCHES_PER_SIDE));
  const plane = channels * height * width;
  const predict = async (batch: Float32Array, n: number): Promise<Float32Array> => {
    const inputs = Array.from({ length: n }, (_, i) => deviceImage(device.upload(Tensor.fromArray(batch.slice(i * plane, (i + 1) * plane), [channels, height, width])), 'unit'));
    try {
      const predictions = await predictor.predict(inputs, { similar: 1 });
      return Float32Array.from(predictions.flatMap((p) => p.probabilities));
    } finally {
      for (const input of inputs) if (input.planar.location === 'gpu') input.planar.dispose();
    }
  };
  // Mid-grey patches: neither black nor white, so hiding a region does not add an edge of its own.
  return occlusionMap(predict, image, { patch, stride: Math.max(1, patch >> 1), baseline: 0.5, classIndex, batchSize: 16 });
}
