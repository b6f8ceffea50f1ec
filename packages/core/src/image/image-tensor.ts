import { ShapeError } from '../errors.js';
import { allocate, type TypedArrayFor } from '../compute/dtype.js';
import { formatShape } from '../compute/shape.js';
import { Tensor } from '../compute/tensor.js';

/** Pixel types an image holds: 8-bit and 16-bit integers as decoded, f32 for computed images (e.g. Hounsfield units). */
export type ImageDType = 'u8' | 'u16' | 'f32';

export const IMAGE_DTYPES: readonly ImageDType[] = ['u8', 'u16', 'f32'];

/**
 * Channels of an image, in this order: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA. Alpha, when there is
 * one, is always the last channel.
 */
export type ImageChannels = 1 | 2 | 3 | 4;

/**
 * An image as decoders give it: a CPU Tensor of shape [height, width, channels], channels
 * interleaved (HWC, row-major: the value of channel c at (y, x) is at (y·width + x)·channels + c),
 * which is how PNG, JPEG, canvases and sharp lay pixels out. Kernels work on planar
 * [channels, height, width] tensors: `toPlanar` converts.
 */
export type ImageTensor<D extends ImageDType = ImageDType> = Tensor<D>;

export interface ImageSize {
  readonly height: number;
  readonly width: number;
  readonly channels: ImageChannels;
}

function isChannels(value: number): value is ImageChannels {
  return value === 1 || value === 2 || value === 3 || value === 4;
}

/** The size of an image tensor; throws ShapeError when the tensor is not [H, W, 1..4] of u8/u16/f32. */
export function imageSize(image: Tensor): ImageSize {
  const [height, width, channels] = image.shape;
  if (image.shape.length !== 3 || !isChannels(channels!)) {
    throw new ShapeError(`image: shape ${formatShape(image.shape)} is not [height, width, channels] with 1 to 4 channels`);
  }
  if (!IMAGE_DTYPES.includes(image.dtype as ImageDType)) {
    throw new ShapeError(`image: dtype ${image.dtype} is not one of ${IMAGE_DTYPES.join(', ')}`);
  }
  return { height: height!, width: width!, channels };
}

/** An interleaved image over `data` (not copied). */
export function imageTensor<D extends ImageDType>(dtype: D, size: ImageSize, data?: TypedArrayFor<D>): ImageTensor<D> {
  if (!isChannels(size.channels)) throw new ShapeError(`image: ${size.channels} channels; expected 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA)`);
  return Tensor.cpu(dtype, [size.height, size.width, size.channels], data);
}

/** Whether the last channel is alpha (gray + alpha, RGBA). */
export function hasAlpha(channels: ImageChannels): boolean {
  return channels === 2 || channels === 4;
}

/** The colour channels of an image: 1 for gray (with or without alpha), 3 for RGB(A). */
export function colorChannels(channels: ImageChannels): 1 | 3 {
  return channels <= 2 ? 1 : 3;
}

export interface ToPlanarOptions {
  /** Leave the alpha channel out (default true): models see gray or RGB. */
  readonly dropAlpha?: boolean;
}

/**
 * [H, W, C] interleaved → [C', H, W] planar, the layout of the resize, color and normalize kernels
 * (C' = C, or the colour channels only when alpha is dropped). Same dtype; always a copy.
 */
export function toPlanar<D extends ImageDType>(image: ImageTensor<D>, { dropAlpha = true }: ToPlanarOptions = {}): Tensor<D> {
  const { height, width, channels } = imageSize(image);
  const kept = dropAlpha ? colorChannels(channels) : channels;
  const out = allocate(image.dtype, kept * height * width);
  writePlanar(image, out, 0, kept);
  return Tensor.cpu(image.dtype, [kept, height, width], out);
}

/**
 * Writes the first `kept` channels of an interleaved image planar ([kept, H, W]) into `out` from
 * `offset`: toPlanar without its array, for a caller that fills a larger one (a batch's feed).
 */
export function writePlanar(image: ImageTensor, out: { [index: number]: number }, offset: number, kept: number = colorChannels(imageSize(image).channels)): void {
  const { height, width, channels } = imageSize(image);
  const plane = height * width;
  const src = image.data;
  // One copy of the loop per array type a server sees, so each stays monomorphic (a loop shared by
  // uint8 and float32 images reads and writes through generic element access, several times slower).
  if (out instanceof Float32Array && src instanceof Float32Array) deinterleave(src, out, offset, plane, channels, kept);
  else if (out instanceof Float32Array && src instanceof Uint8Array) deinterleaveBytes(src, out, offset, plane, channels, kept);
  else deinterleaveAny(src, out, offset, plane, channels, kept);
}

function deinterleave(src: Float32Array, out: Float32Array, offset: number, plane: number, channels: number, kept: number): void {
  for (let c = 0; c < kept; c++) {
    const base = offset + c * plane;
    for (let p = 0, s = c; p < plane; p++, s += channels) out[base + p] = src[s]!;
  }
}

function deinterleaveBytes(src: Uint8Array, out: Float32Array, offset: number, plane: number, channels: number, kept: number): void {
  if (kept === 3) {
    // RGB(A), what a served photo is: one pass over the pixels, the three planes written together
    // (0.17 ms for 224², against 0.3-0.47 ms a plane at a time).
    const green = offset + plane;
    const blue = green + plane;
    for (let p = 0, s = 0; p < plane; p++, s += channels) {
      out[offset + p] = src[s]!;
      out[green + p] = src[s + 1]!;
      out[blue + p] = src[s + 2]!;
    }
    return;
  }
  for (let c = 0; c < kept; c++) {
    const base = offset + c * plane;
    for (let p = 0, s = c; p < plane; p++, s += channels) out[base + p] = src[s]!;
  }
}

function deinterleaveAny(src: ArrayLike<number>, out: { [index: number]: number }, offset: number, plane: number, channels: number, kept: number): void {
  for (let c = 0; c < kept; c++) {
    const base = offset + c * plane;
    for (let p = 0, s = c; p < plane; p++, s += channels) out[base + p] = src[s]!;
  }
}

/** [C, H, W] planar (C = 1..4) → [H, W, C] interleaved. Same dtype; always a copy. */
export function fromPlanar<D extends ImageDType>(planar: Tensor<D>): ImageTensor<D> {
  const [channels, height, width] = planar.shape;
  if (planar.shape.length !== 3 || !isChannels(channels!)) {
    throw new ShapeError(`fromPlanar: shape ${formatShape(planar.shape)} is not [channels, height, width] with 1 to 4 channels`);
  }
  const plane = height! * width!;
  const src = planar.data;
  const out = allocate(planar.dtype, src.length);
  for (let c = 0; c < channels; c++) {
    const base = c * plane;
    for (let p = 0, d = c; p < plane; p++, d += channels) out[d] = src[base + p]!;
  }
  return Tensor.cpu(planar.dtype, [height!, width!, channels], out);
}
