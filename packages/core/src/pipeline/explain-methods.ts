import { EvalError } from '../errors.js';
import type { PlanarImage, SaliencyMap } from '../eval/explain-input.js';
import { kernelShapMap } from '../eval/explain/kernel-shap.js';
import { limeMap } from '../eval/explain/lime.js';
import type { Device } from '../compute/device.js';
import { explainPrediction, predictorScores } from './explain-prediction.js';
import type { Predictor } from './predictor.js';

/** The explanations any bundle answers, its Predictor being the only thing they call. */
export const MODEL_AGNOSTIC_METHODS = ['occlusion', 'lime', 'shap'] as const;
export type ModelAgnosticMethod = (typeof MODEL_AGNOSTIC_METHODS)[number];

export interface ExplainImageOptions {
  method: ModelAgnosticMethod;
  /** Class to explain; default the model's top class. */
  classIndex?: number;
  /** LIME and SHAP: seed of the perturbations (default 0) and how many are scored (default 500). */
  seed?: number;
  samples?: number;
  /** LIME and SHAP: about how many grid superpixels (default 36). */
  segments?: number;
}

/** A saliency map at the image's resolution by one method, with what that method adds (superpixel attributions, SHAP's f(all hidden)). */
export type ImageExplanation = SaliencyMap & {
  method: ModelAgnosticMethod;
  /** LIME and SHAP: the grid superpixels, and one attribution per superpixel (row-major cells). */
  superpixels?: { count: number; attributions: number[] };
  baselineScore?: number;
  exact?: boolean;
};

/** One image explained through the Predictor by `options.method` (occlusion as the viewer and `cvf predict --sr` compute it). */
export async function explainImage(device: Device, predictor: Predictor, image: PlanarImage, options: ExplainImageOptions): Promise<ImageExplanation> {
  const { method } = options;
  if (method === 'occlusion') return { method, ...(await explainPrediction(device, predictor, image, options.classIndex)) };
  const superpixelOptions = {
    ...(options.classIndex !== undefined && { classIndex: options.classIndex }),
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.samples !== undefined && { samples: options.samples }),
    ...(options.segments !== undefined && { segments: options.segments }),
  };
  const predict = predictorScores(device, predictor, image);
  if (method === 'lime' || method === 'shap') {
    const result = method === 'lime' ? await limeMap(predict, image, superpixelOptions) : await kernelShapMap(predict, image, superpixelOptions);
    const { map, height, width, classIndex, baseScore, evaluations } = result;
    const shap = 'baselineScore' in result ? { baselineScore: result.baselineScore, exact: result.exact } : {};
    return { method, map, height, width, classIndex, baseScore, evaluations, superpixels: { count: result.superpixels.count, attributions: Array.from(result.attributions) }, ...shap };
  }
  throw new EvalError('EVAL_OPTION_INVALID', `explain method is ${String(method)}; expected one of ${MODEL_AGNOSTIC_METHODS.join(', ')}`);
}
