import type { Device } from '../../compute/device.js';
import { gaussianBlur } from '../../compute/kernels/gaussian-blur/gaussian-blur.js';
import { resizeBilinear } from '../../compute/kernels/resize-bilinear/resize-bilinear.js';
import { resizeNearestKernel } from '../../compute/kernels/resize-nearest/resize-nearest.js';
import { siftDog } from '../../compute/kernels/sift-dog/sift-dog.js';
import { siftExtrema } from '../../compute/kernels/sift-extrema/sift-extrema.js';
import { Tensor } from '../../compute/tensor.js';
import type { SiftOptions } from './sift-options.js';

/** Keypoint candidates keep this far from an octave's edge (OpenCV's SIFT_IMG_BORDER). */
export const SIFT_BORDER = 5;
/** The blur a camera image is assumed to carry already (OpenCV's SIFT_INIT_SIGMA). */
const INITIAL_SIGMA = 0.5;

/** One octave of a batch, read back to the host: every plane is [n × height × width]. */
export interface Octave {
  readonly index: number;
  readonly height: number;
  readonly width: number;
  /** Gaussian levels 0 .. layers + 2. */
  readonly gaussians: readonly Float32Array[];
  /** DoG levels 0 .. layers + 1 (level i = gaussian i+1 − gaussian i). */
  readonly dogs: readonly Float32Array[];
  /** Extremum marks of DoG levels 1 .. layers (marks[l − 1]): 1 maximum, −1 minimum, 0 none. */
  readonly marks: readonly Float32Array[];
  /** Gaussian levels 1 .. layers still on the Device (levels[l − 1]), for the descriptor kernel. */
  readonly levels: readonly Tensor[];
}

/** Releases the Device copies of the levels that the octaves hold. */
export function disposeScaleSpace(octaves: readonly Octave[]): void {
  for (const octave of octaves) for (const level of octave.levels) level.dispose();
}

/**
 * The blur each level adds to the one before it, so that level i has σ·kⁱ in all
 * (k = 2^(1/layers)), as OpenCV's buildGaussianPyramid.
 */
export function levelSigmas(sigma: number, layers: number): number[] {
  const k = 2 ** (1 / layers);
  const out = [sigma];
  for (let i = 1; i < layers + 3; i++) {
    const previous = k ** (i - 1) * sigma;
    out.push(Math.sqrt((previous * k) ** 2 - previous ** 2));
  }
  return out;
}

/** Octaves OpenCV builds for a base image of this size, less those too small to hold a candidate. */
export function octaveCount(height: number, width: number, upsampled: boolean): number {
  let count = Math.round(Math.log2(Math.min(height, width)) - 2) + (upsampled ? 1 : 0);
  while (count > 0 && Math.min(height, width) >> (count - 1) <= 2 * SIFT_BORDER) count--;
  return count;
}

/**
 * SIFT's scale space of a batch of same-size grayscale images [n, H, W] on the 0..255 scale: the
 * Gaussian pyramid, its differences and their extrema, all computed on the Device (separable blur,
 * DoG and 3×3×3 extremum kernels), then each octave read back for the ragged per-keypoint work.
 * The inner Gaussian levels also stay on the Device for the descriptor kernel: release them with
 * `disposeScaleSpace`.
 */
export async function buildScaleSpace(device: Device, images: Tensor, options: SiftOptions): Promise<Octave[]> {
  const { octaveLayers: layers, sigma, upsample } = options;
  const [inHeight, inWidth] = [images.shape[1]!, images.shape[2]!];
  const blur = async (x: Tensor, s: number): Promise<Tensor> => {
    const { out: rows } = await device.run(gaussianBlur, { x }, { sigma: s, axis: 'x' });
    const { out } = await device.run(gaussianBlur, { x: rows }, { sigma: s, axis: 'y' });
    rows.dispose();
    return out;
  };
  let base: Tensor;
  if (upsample) {
    base = (await device.run(resizeBilinear, { x: images }, { height: inHeight * 2, width: inWidth * 2 })).out;
  } else {
    base = images;
  }
  // The doubled image carries twice the assumed camera blur.
  const assumed = INITIAL_SIGMA * (upsample ? 2 : 1);
  const first = await blur(base, Math.sqrt(Math.max(sigma * sigma - assumed * assumed, 0.01)));
  if (base !== images) base.dispose();
  const sigmas = levelSigmas(sigma, layers);
  const threshold = Math.floor((0.5 * options.contrastThreshold * 255) / layers);
  const count = octaveCount(first.shape[1]!, first.shape[2]!, upsample);
  const octaves: Octave[] = [];
  let start = first;
  for (let o = 0; o < count; o++) {
    const [height, width] = [start.shape[1]!, start.shape[2]!];
    const levels = [start];
    for (let i = 1; i < layers + 3; i++) levels.push(await blur(levels[i - 1]!, sigmas[i]!));
    const dogs: Tensor[] = [];
    for (let i = 0; i < layers + 2; i++) dogs.push((await device.run(siftDog, { upper: levels[i + 1]!, lower: levels[i]! }, {})).out);
    const marks: Tensor[] = [];
    for (let l = 1; l <= layers; l++) marks.push((await device.run(siftExtrema, { below: dogs[l - 1]!, centre: dogs[l]!, above: dogs[l + 1]! }, { threshold, border: SIFT_BORDER })).out);
    const read = (ts: Tensor[]) => Promise.all(ts.map(async (t) => (await device.read(t)) as Float32Array));
    const kept = levels.slice(1, layers + 1);
    octaves.push({ index: o, height, width, gaussians: await read(levels), dogs: await read(dogs), marks: await read(marks), levels: kept });
    // The next octave starts from level `layers` (blur 2σ) taking every second pixel.
    if (o + 1 < count) start = await halve(device, levels[layers]!);
    for (const t of [...levels, ...dogs, ...marks]) if (!kept.includes(t)) t.dispose();
  }
  if (count === 0) first.dispose();
  return octaves;
}

/** Every second row and column (OpenCV's INTER_NEAREST to half size: pixel 2i). */
async function halve(device: Device, x: Tensor): Promise<Tensor> {
  const [height, width] = [x.shape[1]!, x.shape[2]!];
  const every2 = (size: number) => device.upload(Tensor.cpu('i32', [size >> 1], Int32Array.from({ length: size >> 1 }, (_, i) => 2 * i)));
  const rows = every2(height);
  const cols = every2(width);
  const { out } = await device.run(resizeNearestKernel, { x, rows, cols }, {});
  rows.dispose();
  cols.dispose();
  return out;
}
