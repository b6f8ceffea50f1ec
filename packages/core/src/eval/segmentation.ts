import { EvalError } from '../errors.js';
import { checkInteger, checkSameLength } from './inputs.js';

/**
 * Overlap of label maps (one class index per pixel, any number of images concatenated): per class
 * Dice = 2|T∩P| / (|T| + |P|) and IoU (Jaccard) = |T∩P| / |T∪P|, where T and P are the pixels of
 * the class in the truth and the prediction. Counting over everything passed in gives the
 * dataset-level ("global") score; call once per image and average for per-image scores.
 *
 * Empty-mask convention: a class absent from both truth and prediction has no overlap to measure.
 * By default (`empty: 'nan'`) its Dice and IoU are NaN and it is left out of the means (MONAI's
 * `ignore_empty`); with `empty: 'one'` it scores 1 (both agree it is absent) and counts. A class
 * predicted but absent from the truth, or present but missed, scores 0 either way.
 */

export type LabelMap = Int32Array | Uint8Array | Uint16Array;

export interface SegmentationOptions {
  /** Pixels with this truth value are left out (e.g. 255 for "unlabelled"). */
  ignoreLabel?: number;
  /** Scores of a class absent from truth and prediction: NaN and left out of the means (default), or 1. */
  empty?: 'nan' | 'one';
  /** Leave class 0 out of the means (it stays in `perClass`). Default false. */
  excludeBackground?: boolean;
}

export interface ClassOverlap {
  dice: number;
  iou: number;
  /** Pixels of the class in the truth. */
  truth: number;
  /** Pixels of the class in the prediction. */
  predicted: number;
  intersection: number;
}

export interface SegmentationScores {
  perClass: ClassOverlap[];
  /** Mean Dice over the classes with a defined score. NaN when none has one. */
  meanDice: number;
  meanIou: number;
}

export function segmentationScores(truth: LabelMap, predicted: LabelMap, numClasses: number, options: SegmentationOptions = {}): SegmentationScores {
  checkSameLength('segmentationScores', truth, predicted, 'truth', 'predicted');
  checkInteger('segmentationScores: numClasses', numClasses, 1);
  const empty = options.empty ?? 'nan';
  if (empty !== 'nan' && empty !== 'one') {
    throw new EvalError('EVAL_OPTION_INVALID', `segmentationScores: empty is ${JSON.stringify(empty)}; expected 'nan' or 'one'`);
  }
  const truthCount = new Float64Array(numClasses);
  const predictedCount = new Float64Array(numClasses);
  const intersection = new Float64Array(numClasses);
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    if (t === options.ignoreLabel) continue;
    const p = predicted[i]!;
    if (t < 0 || t >= numClasses || p < 0 || p >= numClasses) {
      const ignored = options.ignoreLabel === undefined ? '' : ` (or truth ${options.ignoreLabel}, ignored)`;
      throw new EvalError(
        'EVAL_LABEL_OUT_OF_RANGE',
        `segmentationScores: pixel ${i} has truth ${t} and prediction ${p}; expected class indices in 0..${numClasses - 1}${ignored}`,
      );
    }
    truthCount[t]! += 1;
    predictedCount[p]! += 1;
    if (t === p) intersection[t]! += 1;
  }
  const perClass: ClassOverlap[] = [];
  for (let c = 0; c < numClasses; c++) {
    const sum = truthCount[c]! + predictedCount[c]!;
    const both = intersection[c]!;
    const absent = sum === 0;
    const emptyScore = empty === 'one' ? 1 : Number.NaN;
    perClass.push({
      dice: absent ? emptyScore : (2 * both) / sum,
      iou: absent ? emptyScore : both / (sum - both),
      truth: truthCount[c]!,
      predicted: predictedCount[c]!,
      intersection: both,
    });
  }
  const counted = perClass.filter((entry, c) => !(options.excludeBackground && c === 0) && !Number.isNaN(entry.dice));
  const mean = (key: 'dice' | 'iou') => (counted.length === 0 ? Number.NaN : counted.reduce((sum, entry) => sum + entry[key], 0) / counted.length);
  return { perClass, meanDice: mean('dice'), meanIou: mean('iou') };
}

/** Dice and IoU of one binary mask (non-zero = foreground) against another, with the same empty convention. */
export function maskOverlap(truth: LabelMap, predicted: LabelMap, empty: 'nan' | 'one' = 'nan'): { dice: number; iou: number } {
  checkSameLength('maskOverlap', truth, predicted, 'truth', 'predicted');
  let truthCount = 0;
  let predictedCount = 0;
  let both = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] !== 0;
    const p = predicted[i] !== 0;
    if (t) truthCount += 1;
    if (p) predictedCount += 1;
    if (t && p) both += 1;
  }
  const sum = truthCount + predictedCount;
  if (sum === 0) return empty === 'one' ? { dice: 1, iou: 1 } : { dice: Number.NaN, iou: Number.NaN };
  return { dice: (2 * both) / sum, iou: both / (sum - both) };
}
