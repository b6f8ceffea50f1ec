import type { Device } from '../compute/device.js';
import { color } from '../compute/kernels/color/color.js';
import { normalize } from '../compute/kernels/normalize/normalize.js';
import { resizeBilinear } from '../compute/kernels/resize-bilinear/resize-bilinear.js';
import type { Tensor } from '../compute/tensor.js';
import type { PipelineConfig } from '../config/schema.js';
import { colorChannels, imageSize, toPlanar, type ImageDType, type ImageTensor } from './image-tensor.js';
import { resizeNearest } from './resize-nearest.js';

/** The pipeline config's `preprocess` section, defaults filled in. */
export type PreprocessConfig = PipelineConfig['preprocess'];

/**
 * Turns a decoded image into the model input, as the pipeline config's `preprocess` section says:
 * resize → color → normalize, chaining the compute kernels on `device` (the tensors stay on the GPU
 * between steps). Returns a planar f32 tensor [channels, height, width] on the device, with
 * channels 1 (color: gray) or 3 (color: rgb); read it with `device.read`.
 *
 * - Alpha is dropped. An image already at the target size is not resampled.
 * - resize mode `bilinear` runs the resize-bilinear kernel; `nearest` is a gather on the CPU before
 *   upload (ONNX Resize nearest semantics, values unchanged).
 * - color: `gray` turns RGB into BT.601 luma; `rgb` replicates gray into three channels.
 * - `preprocess.window` is not applied here: it concerns DICOM, whose pixels the medical package
 *   windows to 0..255 first, so that DICOM and 8-bit images reach this function alike.
 */
export async function preprocessImage(device: Device, image: ImageTensor, config: PreprocessConfig): Promise<Tensor<'f32'>> {
  const { height, width, channels } = imageSize(image);
  const { resize } = config;
  let planar: Tensor<ImageDType> = toPlanar(image);
  const resample = height !== resize.height || width !== resize.width;
  if (resample && resize.mode === 'nearest') planar = resizeNearest(planar, resize);

  const owned: Tensor[] = []; // intermediates this function created on the device
  let x: Tensor = device.upload(planar);
  if (x !== planar) owned.push(x);
  try {
    if (resample && resize.mode === 'bilinear') {
      x = (await device.run(resizeBilinear, { x }, { height: resize.height, width: resize.width, coordinateTransform: resize.coordinateTransform })).out;
      owned.push(x);
    }
    const target = config.color === 'rgb' ? 3 : 1;
    if (colorChannels(channels) !== target) {
      x = (await device.run(color, { x }, { conversion: target === 1 ? 'rgb-to-gray' : 'gray-to-rgb', channelAxis: -3 })).out;
      owned.push(x);
    }
    const { scale, mean, std } = config.normalize;
    return (await device.run(normalize, { x }, { scale, mean, std, channelAxis: -3 })).out as Tensor<'f32'>;
  } finally {
    for (const tensor of owned) if (tensor.location === 'gpu') tensor.dispose();
  }
}
