import { checkInteger } from '../inputs.js';

/**
 * Superpixels as LIME and kernel SHAP perturb them: a regular grid of `rows × columns` cells, each
 * cell one superpixel. A grid, not a SLIC clustering: it needs no seed, it is the same for every
 * image of a size (so two images' attributions are comparable cell by cell), and a cell's
 * attribution says "this part of the frame", which is what a model that sees a fixed field of view
 * (28² garments, a CT slice) needs explained. Cells split the image as evenly as integer sides allow.
 */
export interface Superpixels {
  /** Superpixel of each pixel, row-major height × width, values 0..count-1. */
  labels: Int32Array;
  count: number;
  height: number;
  width: number;
}

/** Grid cells per side: about `segments` cells in all, each side at most the image's. */
export function gridSuperpixels(height: number, width: number, segments: number): Superpixels {
  checkInteger('gridSuperpixels: height', height, 1);
  checkInteger('gridSuperpixels: width', width, 1);
  checkInteger('gridSuperpixels: segments', segments, 1);
  // Square-ish cells: rows/columns in the ratio of the sides.
  const rows = Math.min(height, Math.max(1, Math.round(Math.sqrt((segments * height) / width))));
  const columns = Math.min(width, Math.max(1, Math.round(segments / rows)));
  const labels = new Int32Array(height * width);
  for (let y = 0; y < height; y++) {
    const row = Math.floor((y * rows) / height);
    for (let x = 0; x < width; x++) labels[y * width + x] = row * columns + Math.floor((x * columns) / width);
  }
  return { labels, count: rows * columns, height, width };
}

/** Per-superpixel values painted back onto the pixels: the map at image resolution. */
export function paintSuperpixels(superpixels: Superpixels, values: ArrayLike<number>): Float32Array {
  return Float32Array.from(superpixels.labels, (label) => values[label]!);
}
