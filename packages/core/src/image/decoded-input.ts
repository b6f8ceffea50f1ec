import type { Device } from '../compute/device.js';
import { formatShape } from '../compute/shape.js';
import { Tensor } from '../compute/tensor.js';
import { ShapeError } from '../errors.js';
import { imageSize, imageTensor, type ImageSize, type ImageTensor } from './image-tensor.js';

/**
 * What the values of a device image span: 'unit' 0..1 (a DICOM display window's output) or
 * 'byte' 0..255 (what 8-bit images hold). Preprocessing folds the range into normalize's scale,
 * so `normalize.scale` means the same for every input: 1/255 maps 0..255 — or 0..1 — onto 0..1.
 */
export type PixelRange = 'unit' | 'byte';

/**
 * An image already on the Device that will preprocess it: planar [channels, height, width] f32,
 * channels 1 (gray) or 3 (RGB), e.g. a windowed DICOM frame straight from the window-level kernel.
 * On the CPU device the tensor is a CPU tensor. Whoever decoded it owns it (`disposeDecodedInput`).
 */
export interface DeviceImage {
  readonly kind: 'device-image';
  readonly planar: Tensor<'f32'>;
  readonly range: PixelRange;
}

/**
 * A decoded image as `decodeInput` gives it and `preprocessImages` takes it: an interleaved host
 * ImageTensor [height, width, channels] (PNG, JPEG, WebP, colour DICOM), or a DeviceImage.
 */
export type DecodedInput = ImageTensor | DeviceImage;

/** A DeviceImage over `planar` (not copied); throws ShapeError unless it is [1 or 3, H, W] f32. */
export function deviceImage(planar: Tensor, range: PixelRange): DeviceImage {
  const [channels] = planar.shape;
  if (planar.shape.length !== 3 || (channels !== 1 && channels !== 3)) {
    throw new ShapeError(`device image: shape ${formatShape(planar.shape)} is not [channels, height, width] with 1 (gray) or 3 (RGB) channels`);
  }
  if (planar.dtype !== 'f32') throw new ShapeError(`device image: dtype ${planar.dtype}; a device image is f32`);
  return { kind: 'device-image', planar: planar as Tensor<'f32'>, range };
}

export function isDeviceImage(input: DecodedInput): input is DeviceImage {
  return (input as Partial<DeviceImage>).kind === 'device-image';
}

/** Height, width and channels of either kind of input. */
export function decodedInputSize(input: DecodedInput): ImageSize {
  if (!isDeviceImage(input)) return imageSize(input);
  const [channels, height, width] = input.planar.shape as [1 | 3, number, number];
  return { height, width, channels };
}

/**
 * The input as a host ImageTensor: a host image as it is; a device image read back and
 * interleaved, f32 on 0..255 (unit values × 255), like an 8-bit image. For callers that need
 * pixels on the host (thumbnails, datasets whose samples are host images) — not for preprocessing,
 * which takes a DeviceImage as it is.
 */
export async function readDecodedInput(device: Device, input: DecodedInput): Promise<ImageTensor> {
  if (!isDeviceImage(input)) return input;
  const { height, width, channels } = decodedInputSize(input);
  const values = (await device.read(input.planar)) as Float32Array;
  const factor = input.range === 'unit' ? 255 : 1;
  const plane = height * width;
  const out = new Float32Array(values.length);
  for (let c = 0; c < channels; c++) {
    for (let p = 0, d = c; p < plane; p++, d += channels) out[d] = values[c * plane + p]! * factor;
  }
  return imageTensor('f32', { height, width, channels }, out);
}

/** Frees the GPU memory of a device image; host inputs need nothing. */
export function disposeDecodedInput(input: DecodedInput): void {
  if (isDeviceImage(input) && input.planar.location === 'gpu') input.planar.dispose();
}
