import { EvalError } from '../errors.js';
import { checkInteger, checkLabels, checkScores } from './inputs.js';

/**
 * COCO-style mean average precision of an object detector, crowd-free (no `iscrowd`, no ignored
 * boxes, one area range "all"):
 *
 * 1. Per image and class, detections are sorted by score (highest first, ties in input order) and
 *    the top `maxDetectionsPerImage` kept.
 * 2. Greedy matching, per IoU threshold t: each detection in turn takes the not-yet-matched ground
 *    truth box of its class and image with the highest IoU, if that IoU is ≥ t; otherwise it is a
 *    false positive.
 * 3. Per class, all its detections over all images are sorted by score (equal scores in different
 *    images keep the order in which those images first appear among the detections); cumulative
 *    true/false positives give precision and recall; precision is made monotone (each value
 *    replaced by the maximum to its right); AP is the mean of that precision at the 101 recall
 *    levels 0, 0.01, …, 1 (the precision at the first point whose recall reaches the level, 0 where
 *    recall never does).
 * 4. mAP@[.5:.95] averages AP over the IoU thresholds .50, .55, …, .95 and over classes.
 *
 * A class with no ground-truth box has no AP (NaN) and is left out of the mean; a class with ground
 * truth but no detection has AP 0. Boxes are [x1, y1, x2, y2] in pixels, continuous coordinates
 * (area = (x2 − x1)·(y2 − y1), no +1).
 */

export interface GroundTruthBoxes {
  /** Image of each box (any integer id). */
  imageIds: Int32Array;
  /** Class index of each box, 0..numClasses-1. */
  classIds: Int32Array;
  /** N×4 corners, row-major: x1, y1, x2, y2. */
  boxes: Float32Array | Float64Array;
}

export interface DetectedBoxes extends GroundTruthBoxes {
  scores: Float32Array | Float64Array;
}

export interface MeanAveragePrecisionOptions {
  numClasses: number;
  /** IoU thresholds; default .50, .55, …, .95. */
  iouThresholds?: readonly number[];
  /** Detections kept per image and class, highest scores first; default 100. */
  maxDetectionsPerImage?: number;
}

export interface ClassAveragePrecision {
  classIndex: number;
  /** AP averaged over the IoU thresholds; NaN without ground truth. */
  ap: number;
  /** AP at each IoU threshold, in the order of `iouThresholds`. */
  apPerIou: number[];
  groundTruth: number;
  detections: number;
}

export interface MeanAveragePrecision {
  /** mAP averaged over IoU thresholds and classes with ground truth. */
  map: number;
  /** mAP at IoU 0.50 (NaN when 0.5 is not among the thresholds). */
  map50: number;
  /** mAP at IoU 0.75 (NaN when 0.75 is not among the thresholds). */
  map75: number;
  iouThresholds: number[];
  perClass: ClassAveragePrecision[];
}

/** IoU thresholds .50:.05:.95, each the nearest double to its decimal value. */
export const COCO_IOU_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, i) => (50 + 5 * i) / 100);

const RECALL_LEVELS = 101;

/** Intersection over union of two [x1, y1, x2, y2] boxes; 0 when both are empty. */
export function boxIou(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const width = Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!);
  const height = Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!);
  const intersection = width > 0 && height > 0 ? width * height : 0;
  const union = (a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - intersection;
  return union > 0 ? intersection / union : 0;
}

function checkBoxes(what: string, set: GroundTruthBoxes, numClasses: number): void {
  const count = set.imageIds.length;
  if (set.classIds.length !== count || set.boxes.length !== count * 4) {
    throw new EvalError(
      'EVAL_LENGTH_MISMATCH',
      `${what}: ${count} imageIds, ${set.classIds.length} classIds and ${set.boxes.length} box values; expected N, N and 4·N (x1, y1, x2, y2 per box)`,
    );
  }
  checkLabels(what, set.classIds, numClasses, 'classIds');
  checkScores(what, set.boxes, false, 'boxes');
  for (let i = 0; i < count; i++) {
    if (set.boxes[4 * i + 2]! < set.boxes[4 * i]! || set.boxes[4 * i + 3]! < set.boxes[4 * i + 1]!) {
      throw new EvalError('EVAL_VALUE_INVALID', `${what}: box ${i} is [${Array.from(set.boxes.subarray(4 * i, 4 * i + 4)).join(', ')}]; expected x1 ≤ x2 and y1 ≤ y2`);
    }
  }
}

/** Box indices grouped by "image/class". */
function groupByImageAndClass(set: GroundTruthBoxes): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < set.imageIds.length; i++) {
    const key = `${set.imageIds[i]}/${set.classIds[i]}`;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  }
  return groups;
}

/** Mean of the monotone precision at the 101 recall levels, given hits in descending score order. */
function interpolatedAp(hits: Uint8Array, groundTruth: number): number {
  const precision = new Float64Array(hits.length);
  const recall = new Float64Array(hits.length);
  let tp = 0;
  for (let k = 0; k < hits.length; k++) {
    tp += hits[k]!;
    precision[k] = tp / (k + 1);
    recall[k] = tp / groundTruth;
  }
  for (let k = hits.length - 2; k >= 0; k--) precision[k] = Math.max(precision[k]!, precision[k + 1]!);
  let sum = 0;
  let k = 0;
  for (let level = 0; level < RECALL_LEVELS; level++) {
    const wanted = level / (RECALL_LEVELS - 1);
    while (k < hits.length && recall[k]! < wanted) k += 1;
    if (k === hits.length) break; // recall never reaches this level (nor any higher one): precision 0
    sum += precision[k]!;
  }
  return sum / RECALL_LEVELS;
}

export function meanAveragePrecision(groundTruth: GroundTruthBoxes, detections: DetectedBoxes, options: MeanAveragePrecisionOptions): MeanAveragePrecision {
  const { numClasses } = options;
  const iouThresholds = [...(options.iouThresholds ?? COCO_IOU_THRESHOLDS)];
  const maxDetections = options.maxDetectionsPerImage ?? 100;
  checkInteger('meanAveragePrecision: numClasses', numClasses, 1);
  checkInteger('meanAveragePrecision: maxDetectionsPerImage', maxDetections, 1);
  if (iouThresholds.length === 0 || iouThresholds.some((t) => !(t > 0 && t <= 1))) {
    throw new EvalError('EVAL_OPTION_INVALID', `meanAveragePrecision: iouThresholds is [${iouThresholds.join(', ')}]; expected one or more numbers in (0, 1]`);
  }
  checkBoxes('meanAveragePrecision: ground truth', groundTruth, numClasses);
  checkBoxes('meanAveragePrecision: detections', detections, numClasses);
  if (detections.scores.length !== detections.imageIds.length) {
    throw new EvalError('EVAL_LENGTH_MISMATCH', `meanAveragePrecision: ${detections.scores.length} scores for ${detections.imageIds.length} detections; expected one per detection`);
  }
  checkScores('meanAveragePrecision: detections', detections.scores, false);

  const truthGroups = groupByImageAndClass(groundTruth);
  const detectionGroups = groupByImageAndClass(detections);
  const box = (set: GroundTruthBoxes, i: number) => set.boxes.subarray(4 * i, 4 * i + 4);
  const byScore = (a: number, b: number) => detections.scores[b]! - detections.scores[a]!;

  // Per class: kept detections (index) and, per IoU threshold, whether each was a true positive.
  const kept: number[][] = Array.from({ length: numClasses }, () => []);
  const hits: number[][][] = Array.from({ length: numClasses }, () => iouThresholds.map(() => []));
  for (const [key, group] of detectionGroups) {
    const classIndex = detections.classIds[group[0]!]!;
    const mine = group.sort(byScore).slice(0, maxDetections);
    const truths = truthGroups.get(key) ?? [];
    const ious = mine.map((d) => truths.map((g) => boxIou(box(detections, d), box(groundTruth, g))));
    kept[classIndex]!.push(...mine);
    iouThresholds.forEach((threshold, t) => {
      const matched = new Uint8Array(truths.length);
      for (let m = 0; m < mine.length; m++) {
        let best = -1;
        let bestIou = threshold;
        for (let g = 0; g < truths.length; g++) {
          if (matched[g] || ious[m]![g]! < bestIou) continue;
          bestIou = ious[m]![g]!;
          best = g;
        }
        if (best >= 0) matched[best] = 1;
        hits[classIndex]![t]!.push(best >= 0 ? 1 : 0);
      }
    });
  }

  const truthCount = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < groundTruth.classIds.length; i++) truthCount[groundTruth.classIds[i]!]! += 1;

  const perClass: ClassAveragePrecision[] = [];
  for (let c = 0; c < numClasses; c++) {
    // Sort this class's detections over all images by score; ties keep image-group order.
    const order = kept[c]!.map((_, k) => k).sort((a, b) => byScore(kept[c]![a]!, kept[c]![b]!));
    const apPerIou = iouThresholds.map((_, t) =>
      truthCount[c] === 0 ? Number.NaN : interpolatedAp(Uint8Array.from(order, (k) => hits[c]![t]![k]!), truthCount[c]!),
    );
    const ap = apPerIou.reduce((sum, value) => sum + value, 0) / apPerIou.length;
    perClass.push({ classIndex: c, ap, apPerIou, groundTruth: truthCount[c]!, detections: kept[c]!.length });
  }

  const meanOver = (values: number[]) => {
    const defined = values.filter((value) => !Number.isNaN(value));
    return defined.length === 0 ? Number.NaN : defined.reduce((sum, value) => sum + value, 0) / defined.length;
  };
  const atIou = (threshold: number) => {
    const t = iouThresholds.findIndex((value) => Math.abs(value - threshold) < 1e-9);
    return t < 0 ? Number.NaN : meanOver(perClass.map((entry) => entry.apPerIou[t]!));
  };
  return { map: meanOver(perClass.map((entry) => entry.ap)), map50: atIou(0.5), map75: atIou(0.75), iouThresholds, perClass };
}
