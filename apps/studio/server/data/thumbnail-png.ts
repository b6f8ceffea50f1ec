import { disposeDecodedInput, encodePng, fromPlanar, imageSize, readDecodedInput, resizeNearest, toPlanar, Tensor, type Sample } from '@cvf/core';
import { cpuDevice } from './dataset-cache.js';

/** Thumbnails on the data page and in the misclassified grid: at most this many pixels on a side. */
export const THUMBNAIL_PIXELS = 96;

/**
 * A sample's image as a small PNG: nearest-neighbour downscale (never up), aspect kept, 8-bit
 * images as they are, 16-bit and float ones stretched to their own range.
 */
export async function thumbnailPng(sample: Sample): Promise<Uint8Array> {
  const input = await sample.load();
  let image;
  try {
    image = await readDecodedInput(cpuDevice, input);
  } finally {
    disposeDecodedInput(input);
  }
  const { height, width } = imageSize(image);
  const scale = Math.min(1, THUMBNAIL_PIXELS / Math.max(height, width));
  const planar = resizeNearest(toPlanar(image), { height: Math.max(1, Math.round(height * scale)), width: Math.max(1, Math.round(width * scale)) });
  const values = planar.data as ArrayLike<number>;
  let lo = 0;
  let hi = 255;
  if (image.dtype !== 'u8') {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < values.length; i++) (lo = Math.min(lo, values[i]!)), (hi = Math.max(hi, values[i]!));
  }
  const span = hi > lo ? 255 / (hi - lo) : 0;
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = Math.round((values[i]! - lo) * span);
  return encodePng(fromPlanar(Tensor.cpu('u8', planar.shape, bytes)));
}
