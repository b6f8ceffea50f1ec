import type { Device } from '../../compute/device.js';
import type { DecodedInput } from '../../image/decoded-input.js';
import { imageTensor } from '../../image/image-tensor.js';
import { preprocessImages, type PreprocessConfig } from '../../image/preprocess-image.js';
import type { SaliencyMap } from '../explain-input.js';
import { gradCam, integratedGradients, upsampleBilinear, type SaliencyNetwork } from './cnn-saliency.js';
import type { GRADIENT_METHODS } from './cnn-saliency-bundle.js';

export type GradientMethod = (typeof GRADIENT_METHODS)[number];

export interface GradientExplanationOptions {
  readonly method: GradientMethod;
  readonly classIndex?: number;
  /** ig: Riemann steps (default 32). */
  readonly steps?: number;
  /** ig: the preprocessed baseline [C, H, W] (default zeros). */
  readonly baseline?: Float32Array;
  /** The map's size: the network's input is resized to it bilinearly (half-pixel centres), as Grad-CAM's upsampling. */
  readonly height: number;
  readonly width: number;
}

/** A gradient explanation at the asked size; ig adds S(baseline), whose gap to the score the attributions sum to. */
export type GradientExplanation = SaliencyMap & { method: GradientMethod; baselineScore?: number };

/** Grad-CAM or Integrated Gradients of one preprocessed image [C, H, W], the map resized to `height` × `width`. */
export async function explainByGradients(network: SaliencyNetwork, image: Float32Array, options: GradientExplanationOptions): Promise<GradientExplanation> {
  const { method, height, width } = options;
  if (method === 'gradcam') {
    // The coarse map goes straight to the asked size: one interpolation, as Grad-CAM's own.
    const cam = await gradCam(network, image, options.classIndex);
    const map = upsampleBilinear(cam.coarse, cam.coarseHeight, cam.coarseWidth, height, width);
    return { method, map, height, width, classIndex: cam.classIndex, baseScore: cam.baseScore, evaluations: cam.evaluations };
  }
  const ig = await integratedGradients(network, image, { ...(options.classIndex !== undefined && { classIndex: options.classIndex }), ...(options.steps !== undefined && { steps: options.steps }), ...(options.baseline && { baseline: options.baseline }) });
  const map = ig.height === height && ig.width === width ? ig.map : upsampleBilinear(ig.map, ig.height, ig.width, height, width);
  return { method, map, height, width, classIndex: ig.classIndex, baseScore: ig.baseScore, evaluations: ig.evaluations, baselineScore: ig.baselineScore };
}

/**
 * Grad-CAM or Integrated Gradients of one decoded image of `size`, through a bundle's network:
 * the image preprocessed as the Predictor does, IG's path starting at the preprocessed black
 * image, the map at the image's size (what `cvf explain` and the viewer overlay).
 */
export async function explainImageByGradients(
  device: Device,
  network: SaliencyNetwork,
  preprocess: PreprocessConfig,
  input: DecodedInput,
  size: { readonly height: number; readonly width: number; readonly channels: number },
  options: { readonly method: GradientMethod; readonly classIndex?: number; readonly steps?: number },
): Promise<GradientExplanation> {
  const preprocessed = async (image: DecodedInput) => {
    const batch = await preprocessImages(device, [image], preprocess);
    try {
      return Float32Array.from((await device.read(batch)) as Float32Array);
    } finally {
      batch.dispose();
    }
  };
  const { height, width, channels } = size;
  const baseline = options.method === 'ig' ? await preprocessed(imageTensor('u8', { height, width, channels: channels as 1 | 3 }, new Uint8Array(channels * height * width))) : undefined;
  return explainByGradients(network, await preprocessed(input), { ...options, height, width, ...(baseline && { baseline }) });
}
