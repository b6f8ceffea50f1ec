import { bundleSaliencyNetwork, explainImageByGradients, type Bundle, type DecodedInput, type Device, type GradientExplanation, type GradientMethod, type PlanarImage } from '@cvf/core';

/**
 * Grad-CAM or Integrated Gradients of a cnn or fine-tuned bundle for one decoded image: the
 * bundle's ONNX extractor is read into tape layers (so the bundle needs nothing stored for it),
 * the image preprocessed as the Predictor does, and the map resized to the image for the overlay.
 * IG's path starts at the preprocessed black image.
 */
export async function explainWithGradients(device: Device, bundle: Bundle, decoded: DecodedInput, image: PlanarImage, options: { method: GradientMethod; classIndex?: number; steps: number }): Promise<GradientExplanation> {
  return explainImageByGradients(device, bundleSaliencyNetwork(bundle, device), bundle.manifest.preprocess, decoded, image, options);
}
