import type { Device } from '../compute/device.js';
import { color } from '../compute/kernels/color/color.js';
import { normalize } from '../compute/kernels/normalize/normalize.js';
import { resizeBilinear } from '../compute/kernels/resize-bilinear/resize-bilinear.js';
import { allocate } from '../compute/dtype.js';
import { Tensor } from '../compute/tensor.js';
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
  const batch = await preprocessImages(device, [image], config);
  return batch.reshape(batch.shape.slice(1)) as Tensor<'f32'>;
}

/**
 * `preprocessImage` for many images at once: [n, channels, height, width] f32 on the device.
 * Images of one size, channel count and dtype run as one batch through each kernel (one dispatch
 * per step for the whole batch, which is what makes preprocessing a dataset fast on a GPU);
 * mixed batches are grouped by those and reassembled in order.
 */
export async function preprocessImages(device: Device, images: readonly ImageTensor[], config: PreprocessConfig): Promise<Tensor<'f32'>> {
  const groups = new Map<string, number[]>();
  images.forEach((image, i) => {
    const { height, width, channels } = imageSize(image);
    const key = `${height}x${width}x${channels}:${image.dtype}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  if (groups.size === 1) return preprocessUniform(device, images, config);
  // Mixed sizes: each group on the device, then the rows put back in input order on the host.
  const channels = config.color === 'rgb' ? 3 : 1;
  const { height, width } = config.resize;
  const item = channels * height * width;
  const out = new Float32Array(images.length * item);
  for (const indices of groups.values()) {
    const part = await preprocessUniform(device, indices.map((i) => images[i]!), config);
    const values = await device.read(part);
    part.dispose();
    indices.forEach((i, k) => out.set(values.subarray(k * item, (k + 1) * item), i * item));
  }
  return device.upload(Tensor.cpu('f32', [images.length, channels, height, width], out));
}

/** Images that share size, channels and dtype: stacked planar, then resize → color → normalize as one batch. */
async function preprocessUniform(device: Device, images: readonly ImageTensor[], config: PreprocessConfig): Promise<Tensor<'f32'>> {
  const { height, width, channels } = imageSize(images[0]!);
  const { resize } = config;
  const resample = height !== resize.height || width !== resize.width;
  const planes = images.map((image) => {
    const planar: Tensor<ImageDType> = toPlanar(image);
    return resample && resize.mode === 'nearest' ? resizeNearest(planar, resize) : planar;
  });
  const [c, h, w] = planes[0]!.shape as [number, number, number];
  const stacked = allocate(planes[0]!.dtype, images.length * c * h * w);
  planes.forEach((plane, i) => stacked.set(plane.data, i * c * h * w));

  const owned: Tensor[] = []; // intermediates this function created on the device
  const host = Tensor.cpu(planes[0]!.dtype, [images.length, c, h, w], stacked);
  let x: Tensor = device.upload(host);
  if (x !== host) owned.push(x);
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
