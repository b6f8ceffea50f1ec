import { bundleSaliencyNetwork, explainByGradients, imageTensor, preprocessImages, type Bundle, type DecodedInput, type Device, type GradientExplanation, type GradientMethod, type PlanarImage } from '@cvf/core';

/**
 * Grad-CAM or Integrated Gradients of a cnn or fine-tuned bundle for one decoded image: the
 * bundle's ONNX extractor is read into tape layers (so the bundle needs nothing stored for it),
 * the image preprocessed as the Predictor does, and the map resized to the image for the overlay.
 * IG's path starts at the preprocessed black image.
 */
export async function explainWithGradients(device: Device, bundle: Bundle, decoded: DecodedInput, image: PlanarImage, options: { method: GradientMethod; classIndex?: number; steps: number }): Promise<GradientExplanation> {
  const network = bundleSaliencyNetwork(bundle, device);
  const { preprocess } = bundle.manifest;
  const preprocessed = async (input: DecodedInput) => {
    const batch = await preprocessImages(device, [input], preprocess);
    try {
      return Float32Array.from((await device.read(batch)) as Float32Array);
    } finally {
      batch.dispose();
    }
  };
  const { channels, height, width } = image;
  const baseline = options.method === 'ig' ? await preprocessed(imageTensor('u8', { height, width, channels: channels as 1 | 3 }, new Uint8Array(channels * height * width))) : undefined;
  return explainByGradients(network, await preprocessed(decoded), {
    method: options.method,
    height,
    width,
    steps: options.steps,
    ...(options.classIndex !== undefined && { classIndex: options.classIndex }),
    ...(baseline && { baseline }),
  });
}
