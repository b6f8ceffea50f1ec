import { checkInteger } from './inputs.js';
import { baselinePerChannel, checkImage, explainedClass, scoreVariants, type PlanarImage, type PredictFn, type SaliencyMap } from './explain-input.js';

/**
 * Occlusion sensitivity (Zeiler & Fergus 2014): slide a patch of `baseline` values over the image and
 * record how much the score of the explained class drops, baseScore − occludedScore. Each pixel of
 * the map is the mean drop over the patches covering it, so overlapping patches give a smooth map at
 * image resolution. Positive = the region supports the class; negative = hiding it raises the score.
 *
 * Patches start at 0, stride, 2·stride, … and one more is added flush with the far edge when the
 * stride does not land there, so every pixel is covered whenever stride ≤ patch (pixels no patch
 * covers, possible when stride > patch, get 0).
 */
export interface OcclusionOptions {
  /** Patch side in pixels, or height and width. Clamped to the image size. */
  patch: number | { height: number; width: number };
  /** Step between patches; default half the patch (at least 1). */
  stride?: number | { height: number; width: number };
  /** Value written into occluded pixels, one for all channels or one per channel; default 0. */
  baseline?: number | readonly number[];
  /** Class to explain; default the model's top class on the unaltered image. */
  classIndex?: number;
  /** Occluded images per predict call; default 16. */
  batchSize?: number;
}

/** Start offsets of windows of `size` along an axis of `length`, the last one flush with the end. */
export function patchStarts(length: number, size: number, stride: number): number[] {
  const starts: number[] = [];
  for (let start = 0; start + size <= length; start += stride) starts.push(start);
  if (starts[starts.length - 1]! + size < length) starts.push(length - size);
  return starts;
}

function sides(what: string, value: number | { height: number; width: number }): { height: number; width: number } {
  const result = typeof value === 'number' ? { height: value, width: value } : value;
  checkInteger(`${what}.height`, result.height, 1);
  checkInteger(`${what}.width`, result.width, 1);
  return result;
}

export async function occlusionMap(predict: PredictFn, image: PlanarImage, options: OcclusionOptions): Promise<SaliencyMap> {
  const what = 'occlusionMap';
  checkImage(what, image);
  const { channels, height, width } = image;
  const requested = sides(`${what}: patch`, options.patch);
  const patch = { height: Math.min(requested.height, height), width: Math.min(requested.width, width) };
  const stride = sides(`${what}: stride`, options.stride ?? { height: Math.max(1, patch.height >> 1), width: Math.max(1, patch.width >> 1) });
  const baseline = baselinePerChannel(what, options.baseline, channels);
  const { classIndex, baseScore } = await explainedClass(what, predict, image, options.classIndex);

  const rows = patchStarts(height, patch.height, stride.height);
  const columns = patchStarts(width, patch.width, stride.width);
  const plane = height * width;
  const scores = await scoreVariants(what, predict, image.data.length, rows.length * columns.length, options.batchSize ?? 16, classIndex, (k, target) => {
    target.set(image.data);
    const top = rows[Math.floor(k / columns.length)]!;
    const left = columns[k % columns.length]!;
    for (let c = 0; c < channels; c++) {
      for (let y = top; y < top + patch.height; y++) target.fill(baseline[c]!, c * plane + y * width + left, c * plane + y * width + left + patch.width);
    }
  });

  const sum = new Float64Array(plane);
  const covered = new Uint32Array(plane);
  for (let k = 0; k < scores.length; k++) {
    const drop = baseScore - scores[k]!;
    const top = rows[Math.floor(k / columns.length)]!;
    const left = columns[k % columns.length]!;
    for (let y = top; y < top + patch.height; y++) {
      for (let x = left; x < left + patch.width; x++) {
        sum[y * width + x]! += drop;
        covered[y * width + x]! += 1;
      }
    }
  }
  const map = Float32Array.from(sum, (total, i) => (covered[i] === 0 ? 0 : total / covered[i]!));
  return { map, height, width, classIndex, baseScore, evaluations: scores.length + 1 };
}
