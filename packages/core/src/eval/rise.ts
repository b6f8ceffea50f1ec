import { EvalError } from '../errors.js';
import { Rng } from '../compute/random.js';
import { checkInteger } from './inputs.js';
import { baselinePerChannel, checkImage, explainedClass, scoreVariants, type PlanarImage, type PredictFn, type SaliencyMap } from './explain-input.js';

/**
 * RISE (Petsiuk et al. 2018): score the image under many random soft masks and weight each mask by
 * the score it kept. Saliency(x) = Σᵢ scoreᵢ·Mᵢ(x) / (N·p), the expected score given that pixel x was
 * kept. A mask is a grid of Bernoulli(p) nodes one cell apart, a cell being ⌈H/cells⌉ × ⌈W/cells⌉
 * pixels, bilinearly interpolated and shifted by a random offset within one cell, so its edges fall
 * anywhere (the grid has cells + 2 nodes per side, enough to cover the shifted image). Masked pixels
 * blend towards `baseline`: x·M + baseline·(1 − M).
 * The same seed gives the same masks, hence the same map.
 */
export interface RiseOptions {
  /** Random masks; default 1000 (more = smoother, each costs one model evaluation). */
  masks?: number;
  /** Grid cells along each side; default 7. */
  cells?: number;
  /** Probability a grid node is kept; default 0.5. */
  probability?: number;
  /** Seed of the masks; default 0. */
  seed?: number;
  baseline?: number | readonly number[];
  classIndex?: number;
  batchSize?: number;
}

/** One mask at image resolution (values in [0, 1]). */
export function riseMask(rng: Rng, height: number, width: number, cells: number, probability: number): Float32Array {
  const nodes = cells + 2;
  const grid = new Float32Array(nodes * nodes);
  for (let i = 0; i < grid.length; i++) grid[i] = rng.next() < probability ? 1 : 0;
  const cellHeight = Math.ceil(height / cells);
  const cellWidth = Math.ceil(width / cells);
  const shiftY = rng.next() * cellHeight;
  const shiftX = rng.next() * cellWidth;
  const mask = new Float32Array(height * width);
  for (let y = 0; y < height; y++) {
    const gy = (y + shiftY) / cellHeight;
    const y0 = Math.floor(gy); // ≤ cells, since y + shiftY < (cells + 1)·cellHeight
    const fy = gy - y0;
    for (let x = 0; x < width; x++) {
      const gx = (x + shiftX) / cellWidth;
      const x0 = Math.floor(gx);
      const fx = gx - x0;
      const top = grid[y0 * nodes + x0]! * (1 - fx) + grid[y0 * nodes + x0 + 1]! * fx;
      const bottom = grid[(y0 + 1) * nodes + x0]! * (1 - fx) + grid[(y0 + 1) * nodes + x0 + 1]! * fx;
      mask[y * width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return mask;
}

export async function riseMap(predict: PredictFn, image: PlanarImage, options: RiseOptions = {}): Promise<SaliencyMap> {
  const what = 'riseMap';
  checkImage(what, image);
  const count = options.masks ?? 1000;
  const cells = options.cells ?? 7;
  const probability = options.probability ?? 0.5;
  checkInteger(`${what}: masks`, count, 1);
  checkInteger(`${what}: cells`, cells, 1);
  if (!(probability > 0 && probability <= 1)) {
    throw new EvalError('EVAL_OPTION_INVALID', `${what}: probability is ${probability}; expected a number in (0, 1]`);
  }
  const { channels, height, width } = image;
  const baseline = baselinePerChannel(what, options.baseline, channels);
  const { classIndex, baseScore } = await explainedClass(what, predict, image, options.classIndex);

  // Masks are drawn in order from one generator and kept until scored, so batching never changes them.
  const rng = new Rng(options.seed ?? 0);
  const plane = height * width;
  const masks: Float32Array[] = [];
  const sum = new Float64Array(plane);
  const batchSize = options.batchSize ?? 16;
  checkInteger(`${what}: batchSize`, batchSize, 1);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    masks.length = 0;
    for (let k = 0; k < n; k++) masks.push(riseMask(rng, height, width, cells, probability));
    const scores = await scoreVariants(what, predict, image.data.length, n, batchSize, classIndex, (k, target) => {
      const mask = masks[k]!;
      for (let c = 0; c < channels; c++) {
        for (let i = 0; i < plane; i++) target[c * plane + i] = image.data[c * plane + i]! * mask[i]! + baseline[c]! * (1 - mask[i]!);
      }
    });
    for (let k = 0; k < n; k++) {
      const mask = masks[k]!;
      for (let i = 0; i < plane; i++) sum[i]! += scores[k]! * mask[i]!;
    }
  }
  const map = Float32Array.from(sum, (total) => total / (count * probability));
  return { map, height, width, classIndex, baseScore, evaluations: count + 1 };
}
