import type { Device } from '../compute/device.js';
import { Tensor } from '../compute/tensor.js';
import type { PlanarImage, PredictFn, SaliencyMap } from '../eval/explain-input.js';
import { occlusionMap } from '../eval/occlusion.js';
import { deviceImage, isDeviceImage, type DecodedInput } from '../image/decoded-input.js';
import type { Predictor } from './predictor.js';

/** Patches per image side: about 8, so a map costs ~15×15 predictions whatever the image size. */
const PATCHES_PER_SIDE = 8;

/**
 * A decoded input as one planar [channels, height, width] image on 0..1, as the explanations
 * perturb it: a device image read back (byte range scaled), an interleaved host image
 * de-interleaved; alpha is not explained (gray+alpha keeps gray, RGBA keeps RGB).
 */
export async function planarUnitImage(device: Device, input: DecodedInput): Promise<PlanarImage> {
  if (isDeviceImage(input)) {
    const [channels, height, width] = input.planar.shape as [number, number, number];
    const values = await device.read(input.planar);
    return { data: input.range === 'unit' ? Float32Array.from(values) : values.map((v) => v / 255), channels, height, width };
  }
  const [height, width, stored] = input.shape as [number, number, number];
  const channels = stored <= 2 ? 1 : 3;
  const scale = input.dtype === 'u16' ? 65535 : input.dtype === 'u8' ? 255 : 1;
  const data = new Float32Array(channels * height * width);
  const host = input.data;
  for (let c = 0; c < channels; c++) for (let p = 0; p < height * width; p++) data[c * height * width + p] = host[p * stored + c]! / scale;
  return { data, channels, height, width };
}

/**
 * An occlusion map (core's model-agnostic explainability) of `classIndex` (default the top class) for one image: grey
 * patches slide over the model's input and the drop of that class's probability is recorded, each
 * occluded image going through the same Predictor (preprocessing, extractor, PCA, head) on the Device.
 */
export async function explainPrediction(device: Device, predictor: Predictor, image: PlanarImage, classIndex?: number): Promise<SaliencyMap> {
  const { height, width } = image;
  const patch = Math.max(2, Math.round(Math.min(height, width) / PATCHES_PER_SIDE));
  // Mid-grey patches: neither black nor white, so hiding a region does not add an edge of its own.
  return occlusionMap(predictorScores(device, predictor, image), image, { patch, stride: Math.max(1, patch >> 1), baseline: 0.5, ...(classIndex !== undefined && { classIndex }), batchSize: 16 });
}

/**
 * The Predictor as the model-agnostic explanations call it: a batch of planar images of `image`'s
 * shape on 0..1 in, the class probabilities out, each image through the same preprocessing,
 * extractor, PCA and head on the Device.
 */
export function predictorScores(device: Device, predictor: Predictor, image: Pick<PlanarImage, 'channels' | 'height' | 'width'>): PredictFn {
  const { channels, height, width } = image;
  const plane = channels * height * width;
  return async (batch: Float32Array, n: number): Promise<Float32Array> => {
    const inputs = Array.from({ length: n }, (_, i) => deviceImage(device.upload(Tensor.fromArray(batch.slice(i * plane, (i + 1) * plane), [channels, height, width])), 'unit'));
    try {
      const predictions = await predictor.predict(inputs, { similar: 1 });
      return Float32Array.from(predictions.flatMap((p) => p.probabilities));
    } finally {
      for (const input of inputs) if (input.planar.location === 'gpu') input.planar.dispose();
    }
  };
}
