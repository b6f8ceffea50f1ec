import type { Device } from '../../compute/device.js';
import { siftDescriptor } from '../../compute/kernels/sift-descriptor/sift-descriptor.js';
import { formatShape } from '../../compute/shape.js';
import { Tensor } from '../../compute/tensor.js';
import { ShapeError } from '../../errors.js';
import { dominantOrientations, type LevelImage } from './orientation.js';
import { refineExtremum, type OctavePoint } from './refine.js';
import { buildScaleSpace, disposeScaleSpace, type Octave } from './scale-space.js';
import { checkSiftOptions, SIFT_DESCRIPTOR_LENGTH, type SiftOptions } from './sift-options.js';

/** A SIFT keypoint in the input image's pixels, in OpenCV's KeyPoint conventions. */
export interface SiftKeypoint {
  readonly x: number;
  readonly y: number;
  /** Diameter of the meaningful neighbourhood (2 × the keypoint's σ), input pixels. */
  readonly size: number;
  /** Orientation in degrees in [0, 360), clockwise in image coordinates (OpenCV's KeyPoint.angle). */
  readonly angle: number;
  /** |DoG| contrast at the refined extremum, 0..1 scale (ranking). */
  readonly response: number;
}

export interface SiftFeatures {
  readonly keypoints: readonly SiftKeypoint[];
  /** [keypoints × 128], entries integers 0..255 (OpenCV's scale). */
  readonly descriptors: Float32Array;
}

interface Oriented extends OctavePoint {
  /** Orientation of the descriptor's grid: degrees, y up (360 − the keypoint's angle). */
  readonly orientation: number;
}

/**
 * SIFT (Lowe 2004, OpenCV 4.6's layout and defaults) of a batch of same-size grayscale images
 * [n, H, W] on the 0..255 scale: the scale space and its extrema on the Device; per image on the
 * host (the keypoint lists are ragged) sub-pixel refinement, contrast and edge rejection,
 * orientations and the best `keypoints` by response; then their 128-d descriptors on the Device
 * again (the sift-descriptor kernel, one call per level for the whole batch).
 */
export async function siftFeatures(device: Device, images: Tensor, options: SiftOptions): Promise<SiftFeatures[]> {
  checkSiftOptions(options);
  if (images.shape.length !== 3) throw new ShapeError(`sift: images ${formatShape(images.shape)} must be grayscale images [n, height, width]`);
  const n = images.shape[0]!;
  // The scale-space kernels read f32 levels: 8-bit images are widened once.
  const input = images.dtype === 'f32' ? images : device.upload(Tensor.cpu('f32', images.shape, await device.read(images)));
  const octaves = await buildScaleSpace(device, input, options);
  if (input !== images) input.dispose();
  try {
    const found = Array.from({ length: n }, (_, image) => detect(octaves, image, options));
    const descriptors = await describeAll(device, octaves, found, options);
    return found.map((points, image) => ({ keypoints: points.map((p) => toKeypoint(p, options)), descriptors: descriptors[image]! }));
  } finally {
    disposeScaleSpace(octaves);
  }
}

/** The refined, oriented keypoints of image `image` of the batch's scale space, the best `keypoints` of them. */
function detect(octaves: readonly Octave[], image: number, options: SiftOptions): Oriented[] {
  const found: Oriented[] = [];
  for (const octave of octaves) {
    const plane = octave.width * octave.height;
    octave.marks.forEach((marks, l) => {
      for (let p = image * plane; p < (image + 1) * plane; p++) {
        if (marks[p] === 0) continue;
        const local = p - image * plane;
        const point = refineExtremum(octave, image, local % octave.width, Math.floor(local / octave.width), l + 1, options);
        if (!point) continue;
        // OpenCV orients at the integer position the refinement ended on (the offset is under half a pixel).
        for (const orientation of dominantOrientations(level(octave, image, point.layer), Math.round(point.x), Math.round(point.y), octaveScale(point, options))) {
          found.push({ ...point, orientation });
        }
      }
    });
  }
  return retainBest(removeDuplicates(found, options), options.keypoints);
}

/**
 * The descriptors of every image's keypoints, [keypoints × 128] per image rounded to 0..255 as
 * OpenCV's: one sift-descriptor kernel call per octave level, for the keypoints of all images on it.
 */
async function describeAll(device: Device, octaves: readonly Octave[], found: readonly Oriented[][], options: SiftOptions): Promise<Float32Array[]> {
  const out = found.map((points) => new Float32Array(points.length * SIFT_DESCRIPTOR_LENGTH));
  for (const octave of octaves) {
    for (let layer = 1; layer <= options.octaveLayers; layer++) {
      const rows: { image: number; index: number }[] = [];
      const fields: number[] = [];
      found.forEach((points, image) =>
        points.forEach((p, index) => {
          if (p.octave !== octave.index || p.layer !== layer) return;
          rows.push({ image, index });
          fields.push(image, p.x, p.y, p.orientation, octaveScale(p, options));
        }),
      );
      if (rows.length === 0) continue;
      const keypoints = device.upload(Tensor.cpu('f32', [rows.length, 5], fields));
      const { out: described } = await device.run(siftDescriptor, { level: octave.levels[layer - 1]!, keypoints }, {});
      const values = (await device.read(described)) as Float32Array;
      keypoints.dispose();
      described.dispose();
      rows.forEach(({ image, index }, r) => {
        for (let k = 0; k < SIFT_DESCRIPTOR_LENGTH; k++) out[image]![index * SIFT_DESCRIPTOR_LENGTH + k] = Math.min(255, Math.round(values[r * SIFT_DESCRIPTOR_LENGTH + k]!));
      });
    }
  }
  return out;
}

/** The keypoint's σ in its octave's pixels. */
function octaveScale(p: OctavePoint, options: SiftOptions): number {
  return options.sigma * 2 ** ((p.layer + p.scaleOffset) / options.octaveLayers);
}

function level(octave: Octave, image: number, layer: number): LevelImage {
  return { pixels: octave.gaussians[layer] as Float32Array, offset: image * octave.width * octave.height, width: octave.width, height: octave.height };
}

function toKeypoint(p: Oriented, options: SiftOptions): SiftKeypoint {
  const factor = 2 ** p.octave * (options.upsample ? 0.5 : 1);
  const angle = 360 - p.orientation;
  return { x: p.x * factor, y: p.y * factor, size: octaveScale(p, options) * 2 * factor, angle: Math.abs(angle - 360) < 1.1920929e-7 ? 0 : angle, response: p.response };
}

/** Two extrema that refine to the same point, scale and orientation count once (OpenCV's removeDuplicatedSorted). */
function removeDuplicates(points: Oriented[], options: SiftOptions): Oriented[] {
  const seen = new Set<string>();
  return points.filter((p) => {
    const k = toKeypoint(p, options);
    const key = `${k.x},${k.y},${k.size},${k.angle}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The `count` strongest by response, and any tied with the last of them (OpenCV's retainBest). */
function retainBest(points: Oriented[], count: number): Oriented[] {
  if (points.length <= count) return points;
  const sorted = [...points].sort((a, b) => b.response - a.response);
  const boundary = sorted[count - 1]!.response;
  let end = count;
  while (end < sorted.length && sorted[end]!.response >= boundary) end++;
  return sorted.slice(0, end);
}
