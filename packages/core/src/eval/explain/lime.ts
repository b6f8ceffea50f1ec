import { Rng } from '../../compute/random.js';
import { EvalError } from '../../errors.js';
import { checkImage, explainedClass, type PlanarImage, type PredictFn } from '../explain-input.js';
import { resolveSuperpixelOptions, type SuperpixelExplanation, type SuperpixelOptions } from './explain-options.js';
import { scoreCoalitions } from './perturb.js';
import { paintSuperpixels } from './superpixels.js';
import { weightedRidge } from './weighted-least-squares.js';

/**
 * LIME for images (Ribeiro et al. 2016), as the reference `lime` package does it: each sample keeps
 * every superpixel with probability ½ (the others show the image's mean), the first sample keeps
 * all; a sample's weight is the exponential kernel √exp(−d²/σ²) of its cosine distance d to the
 * all-kept sample (σ = `kernelWidth`, 0.25 as in `lime`); a ridge regression (penalty `ridge`, 1
 * as sklearn's default, intercept unpenalised) of the class score on the kept-indicators gives one
 * coefficient per superpixel: how much showing it raises the score, locally.
 */
export interface LimeOptions extends SuperpixelOptions {
  kernelWidth?: number;
  ridge?: number;
}

export interface LimeExplanation extends SuperpixelExplanation {
  /** The regression's intercept: the score it predicts with every superpixel hidden. */
  intercept: number;
}

export async function limeMap(predict: PredictFn, image: PlanarImage, options: LimeOptions = {}): Promise<LimeExplanation> {
  const what = 'limeMap';
  checkImage(what, image);
  const { superpixels, samples, seed, batchSize } = resolveSuperpixelOptions(what, image.height, image.width, options);
  const kernelWidth = options.kernelWidth ?? 0.25;
  const ridge = options.ridge ?? 1;
  if (!(kernelWidth > 0)) throw new EvalError('EVAL_OPTION_INVALID', `${what}: kernelWidth is ${kernelWidth}; expected a number > 0`);
  if (!(ridge >= 0)) throw new EvalError('EVAL_OPTION_INVALID', `${what}: ridge is ${ridge}; expected a number ≥ 0`);
  const { classIndex, baseScore } = await explainedClass(what, predict, image, options.classIndex);

  const m = superpixels.count;
  const rng = new Rng(seed);
  const coalitions = new Uint8Array(samples * m);
  coalitions.fill(1, 0, m);
  for (let i = m; i < coalitions.length; i++) coalitions[i] = rng.next() < 0.5 ? 1 : 0;
  const scores = await scoreCoalitions(what, predict, image, superpixels, coalitions, classIndex, batchSize);

  // Columns: one indicator per superpixel, then the intercept.
  const columns = m + 1;
  const design = new Float64Array(samples * columns);
  const weights = new Float64Array(samples);
  for (let k = 0; k < samples; k++) {
    let kept = 0;
    for (let j = 0; j < m; j++) {
      design[k * columns + j] = coalitions[k * m + j]!;
      kept += coalitions[k * m + j]!;
    }
    design[k * columns + m] = 1;
    // Cosine distance between a 0/1 vector with `kept` ones and the all-ones vector.
    const distance = kept === 0 ? 1 : 1 - Math.sqrt(kept / m);
    weights[k] = Math.sqrt(Math.exp(-(distance * distance) / (kernelWidth * kernelWidth)));
  }
  const solution = weightedRidge(design, scores, weights, columns, ridge, (column) => column < m);
  const attributions = solution.slice(0, m);
  return {
    map: paintSuperpixels(superpixels, attributions),
    height: image.height,
    width: image.width,
    classIndex,
    baseScore,
    evaluations: samples + 1,
    superpixels,
    attributions,
    intercept: solution[m]!,
  };
}
