import type { Device } from '../compute/device.js';
import { color } from '../compute/kernels/color/color.js';
import { concatRows } from '../compute/kernels/concat-rows/concat-rows.js';
import { gatherRows } from '../compute/kernels/gather-rows/gather-rows.js';
import { normalize } from '../compute/kernels/normalize/normalize.js';
import { resizeBilinear } from '../compute/kernels/resize-bilinear/resize-bilinear.js';
import { allocate } from '../compute/dtype.js';
import { Tensor } from '../compute/tensor.js';
import type { PipelineConfig } from '../config/schema.js';
import { decodedInputSize, isDeviceImage, type DecodedInput, type DeviceImage } from './decoded-input.js';
import { colorChannels, imageSize, toPlanar, type ImageDType, type ImageTensor } from './image-tensor.js';
import { resizeNearest, resizeNearestOnDevice } from './resize-nearest.js';

/** The pipeline config's `preprocess` section, defaults filled in. */
export type PreprocessConfig = PipelineConfig['preprocess'];

/**
 * Turns a decoded image into the model input, as the pipeline config's `preprocess` section says:
 * resize → color → normalize, chaining the compute kernels on `device` (the tensors stay on the GPU
 * between steps). Returns a planar f32 tensor [channels, height, width] on the device, with
 * channels 1 (color: gray) or 3 (color: rgb); read it with `device.read`.
 *
 * - Host images (interleaved ImageTensors) are uploaded; alpha is dropped. A device image (see
 *   DeviceImage) is used where it is, and its value range is folded into normalize's scale
 *   (×255 for 'unit'), so a windowed DICOM frame and an 8-bit image reach the model alike without
 *   a read-back or an extra pass.
 * - An image already at the target size is not resampled.
 * - resize mode `bilinear` runs the resize-bilinear kernel; `nearest` (ONNX Resize nearest
 *   semantics, values unchanged) is a gather on the CPU before upload for host images, and the
 *   resize-nearest kernel, with the same source pixels, for device images.
 * - color: `gray` turns RGB into BT.601 luma; `rgb` replicates gray into three channels.
 * - `preprocess.window` is not applied here: it concerns DICOM, which `decodeInput` (the DICOM
 *   decoder of @cvf/medical) windows before.
 */
export async function preprocessImage(device: Device, image: DecodedInput, config: PreprocessConfig): Promise<Tensor<'f32'>> {
  const batch = await preprocessImages(device, [image], config);
  return batch.reshape(batch.shape.slice(1)) as Tensor<'f32'>;
}

/** Inputs that go through the kernels as one batch, and where they sit in the caller's list. */
interface Part {
  readonly indices: number[];
  readonly run: () => Promise<Tensor<'f32'>>;
}

/**
 * `preprocessImage` for many images at once: [n, channels, height, width] f32 on the device.
 * Host images of one size, channel count and dtype run as one batch through each kernel (one
 * dispatch per step for the whole batch, which is what makes preprocessing a dataset fast on a
 * GPU); each device image runs on its own (each came from its own decode). Mixed batches are
 * joined in order on the device. The inputs stay the caller's.
 */
export async function preprocessImages(device: Device, images: readonly DecodedInput[], config: PreprocessConfig): Promise<Tensor<'f32'>> {
  const groups = new Map<string, number[]>();
  const parts: Part[] = [];
  images.forEach((image, i) => {
    if (isDeviceImage(image)) {
      parts.push({ indices: [i], run: () => preprocessDeviceImage(device, image, config) });
      return;
    }
    const { height, width, channels } = imageSize(image);
    const key = `${height}x${width}x${channels}:${image.dtype}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  for (const indices of groups.values()) {
    parts.push({ indices, run: () => preprocessUniform(device, indices.map((i) => images[i] as ImageTensor), config) });
  }
  parts.sort((a, b) => a.indices[0]! - b.indices[0]!); // in input order where it can be: no reordering gather
  if (parts.length === 1) return parts[0]!.run();
  if (parts.length === 0) {
    const { height, width } = config.resize;
    return device.upload(Tensor.cpu('f32', [0, outputChannels(config), height, width]));
  }
  return assemble(device, parts);
}

function outputChannels(config: PreprocessConfig): 1 | 3 {
  return config.color === 'rgb' ? 3 : 1;
}

/**
 * The parts' batches joined in the caller's order on the device: concatenated pairwise (a balanced
 * tree, so each row is copied about log₂(parts) times), then put in order by a row gather.
 */
async function assemble(device: Device, parts: readonly Part[]): Promise<Tensor<'f32'>> {
  let level: Tensor[] = [];
  for (const part of parts) level.push(await part.run());
  while (level.length > 1) {
    const next: Tensor[] = [];
    for (let k = 0; k < level.length; k += 2) {
      const [a, b] = [level[k]!, level[k + 1]];
      if (!b) {
        next.push(a);
        continue;
      }
      next.push((await device.run(concatRows, { a, b }, {})).out);
      a.dispose();
      b.dispose();
    }
    level = next;
  }
  const joined = level[0] as Tensor<'f32'>;
  const order = parts.flatMap((p) => p.indices);
  if (order.every((image, row) => image === row)) return joined;
  const rows = new Int32Array(order.length);
  order.forEach((image, row) => (rows[image] = row));
  const { out } = await device.run(gatherRows, { x: joined, indices: Tensor.fromArray(rows) }, {});
  joined.dispose();
  return out as Tensor<'f32'>;
}

/** Host images that share size, channels and dtype: stacked planar, uploaded, then the kernel steps as one batch. */
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
  const host = Tensor.cpu(planes[0]!.dtype, [images.length, c, h, w], stacked);
  const x = device.upload(host);
  try {
    return await kernelSteps(device, x, colorChannels(channels), config, { resample: resample && resize.mode === 'bilinear', rangeFactor: 1 });
  } finally {
    if (x !== host && x.location === 'gpu') x.dispose();
  }
}

/** One device image: the kernel steps where it is, every resize on the device. */
async function preprocessDeviceImage(device: Device, image: DeviceImage, config: PreprocessConfig): Promise<Tensor<'f32'>> {
  const { height, width, channels } = decodedInputSize(image);
  const { resize } = config;
  const given = image.planar.reshape([1, channels, height, width]);
  const x = device.upload(given); // a no-op unless a CPU-made image meets a GPU device
  const resample = height !== resize.height || width !== resize.width;
  let resized = x;
  try {
    if (resample && resize.mode === 'nearest') resized = await resizeNearestOnDevice(device, x, resize);
    return await kernelSteps(device, resized, channels as 1 | 3, config, { resample: resample && resize.mode === 'bilinear', rangeFactor: image.range === 'unit' ? 255 : 1 });
  } finally {
    for (const t of [x, resized]) if (t !== given && t.location === 'gpu' && !t.disposed) t.dispose();
  }
}

/**
 * Bilinear resize (when asked) → color → normalize on x [n, C, H, W], on the device. Normalize's
 * scale is multiplied by `rangeFactor`: x·(scale·255) for unit-range values is x·255·scale.
 */
async function kernelSteps(
  device: Device,
  input: Tensor,
  channels: 1 | 3,
  config: PreprocessConfig,
  { resample, rangeFactor }: { resample: boolean; rangeFactor: number },
): Promise<Tensor<'f32'>> {
  const owned: Tensor[] = []; // intermediates created here
  let x = input;
  try {
    if (resample) {
      const { height, width, coordinateTransform } = config.resize;
      x = (await device.run(resizeBilinear, { x }, { height, width, coordinateTransform })).out;
      owned.push(x);
    }
    const target = outputChannels(config);
    if (channels !== target) {
      x = (await device.run(color, { x }, { conversion: target === 1 ? 'rgb-to-gray' : 'gray-to-rgb', channelAxis: -3 })).out;
      owned.push(x);
    }
    const { scale, mean, std } = config.normalize;
    return (await device.run(normalize, { x }, { scale: scale * rangeFactor, mean, std, channelAxis: -3 })).out as Tensor<'f32'>;
  } finally {
    for (const tensor of owned) if (tensor.location === 'gpu') tensor.dispose();
  }
}
