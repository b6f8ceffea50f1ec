import { EvalError } from '../errors.js';
import { checkInteger } from './inputs.js';

/**
 * What the model-agnostic explanations (occlusion, RISE) need from a model: a function that scores a
 * batch. `batch` holds `n` images in the model's input layout, planar (NCHW, row-major, the layout
 * ONNX vision models take), and the function resolves to n×C class scores (probabilities or logits),
 * row-major. An ONNX session, a trained head over an extractor, or a plain function all fit.
 */
export type PredictFn = (batch: Float32Array, n: number) => Promise<Float32Array>;

/** One image in the model's input layout: planar [channels, height, width], already preprocessed. */
export interface PlanarImage {
  data: Float32Array;
  channels: number;
  height: number;
  width: number;
}

/** A saliency map at image resolution, row-major height × width: larger = more important to `classIndex`. */
export interface SaliencyMap {
  map: Float32Array;
  height: number;
  width: number;
  classIndex: number;
  /** The model's score for `classIndex` on the unaltered image. */
  baseScore: number;
  /** Images scored by the model, the unaltered one included. */
  evaluations: number;
}

export function checkImage(what: string, image: PlanarImage): void {
  checkInteger(`${what}: image.channels`, image.channels, 1);
  checkInteger(`${what}: image.height`, image.height, 1);
  checkInteger(`${what}: image.width`, image.width, 1);
  const expected = image.channels * image.height * image.width;
  if (image.data.length !== expected) {
    throw new EvalError(
      'EVAL_LENGTH_MISMATCH',
      `${what}: image.data has ${image.data.length} values; expected channels × height × width = ${image.channels} × ${image.height} × ${image.width} = ${expected}`,
    );
  }
}

/** The baseline value of each channel: one number for all, or one per channel. */
export function baselinePerChannel(what: string, baseline: number | readonly number[] | undefined, channels: number): number[] {
  const values = baseline === undefined ? [0] : typeof baseline === 'number' ? [baseline] : [...baseline];
  if (values.length === 1) return new Array<number>(channels).fill(values[0]!);
  if (values.length !== channels || values.some((value) => !Number.isFinite(value))) {
    throw new EvalError('EVAL_OPTION_INVALID', `${what}: baseline is [${values.join(', ')}]; expected one finite number or one per channel (${channels})`);
  }
  return values;
}

/**
 * Scores `count` variants of an image, `batchSize` at a time: `fill(k, target)` writes variant k
 * into `target` (one image). Resolves to the score of `classIndex` for each variant, and the number
 * of classes the model answered with.
 */
export async function scoreVariants(
  what: string,
  predict: PredictFn,
  imageSize: number,
  count: number,
  batchSize: number,
  classIndex: number,
  fill: (k: number, target: Float32Array) => void,
): Promise<Float64Array> {
  checkInteger(`${what}: batchSize`, batchSize, 1);
  const scores = new Float64Array(count);
  const batch = new Float32Array(Math.min(batchSize, Math.max(count, 1)) * imageSize);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    for (let k = 0; k < n; k++) fill(start + k, batch.subarray(k * imageSize, (k + 1) * imageSize));
    const output = await predictChecked(what, predict, batch.subarray(0, n * imageSize), n);
    const classes = output.length / n;
    if (classIndex >= classes) {
      throw new EvalError('EVAL_OPTION_INVALID', `${what}: classIndex is ${classIndex} but the model answers ${classes} classes; expected 0..${classes - 1}`);
    }
    for (let k = 0; k < n; k++) scores[start + k] = output[k * classes + classIndex]!;
  }
  return scores;
}

/** Calls `predict` and checks it answered n rows of finite scores. */
export async function predictChecked(what: string, predict: PredictFn, batch: Float32Array, n: number): Promise<Float32Array> {
  const output = await predict(batch, n);
  if (!(output instanceof Float32Array) || output.length === 0 || output.length % n !== 0) {
    throw new EvalError(
      'EVAL_VALUE_INVALID',
      `${what}: the predict function answered ${output instanceof Float32Array ? `${output.length} values` : typeof output} for ${n} images; expected a Float32Array of n × classes scores`,
    );
  }
  for (let i = 0; i < output.length; i++) {
    if (!Number.isFinite(output[i])) throw new EvalError('EVAL_VALUE_INVALID', `${what}: the predict function answered ${output[i]} at index ${i}; expected finite scores`);
  }
  return output;
}

/** The class to explain: the given one, or the model's top class on the unaltered image. Also resolves to its score. */
export async function explainedClass(what: string, predict: PredictFn, image: PlanarImage, classIndex: number | undefined): Promise<{ classIndex: number; baseScore: number }> {
  const output = await predictChecked(what, predict, image.data, 1);
  let chosen = classIndex;
  if (chosen === undefined) {
    chosen = 0;
    for (let c = 1; c < output.length; c++) if (output[c]! > output[chosen]!) chosen = c;
  } else if (!Number.isInteger(chosen) || chosen < 0 || chosen >= output.length) {
    throw new EvalError('EVAL_OPTION_INVALID', `${what}: classIndex is ${chosen}; the model answers ${output.length} classes, expected 0..${output.length - 1}`);
  }
  return { classIndex: chosen, baseScore: output[chosen]! };
}
