import { TrainError } from '../errors.js';

export interface PseudoLabels {
  /** Rows chosen, ascending. */
  readonly indices: Int32Array;
  /** The predicted class of each chosen row. */
  readonly labels: Int32Array;
  /** Its probability. */
  readonly confidences: Float32Array;
}

/**
 * Pseudo-labelling: the unlabelled rows the model is confident about, as training labels.
 * A row is chosen when its top class probability is ≥ `threshold`; `maxPerClass` keeps only the
 * most confident rows of each class (so a dominant class does not swamp the rest).
 * `probabilities` is [rows, classes] on the host (a CPU Tensor fits).
 */
export function pseudoLabel(
  probabilities: { readonly data: Float32Array; readonly shape: readonly number[] },
  threshold: number,
  { maxPerClass = Infinity }: { maxPerClass?: number } = {},
): PseudoLabels {
  if (!(threshold > 0 && threshold <= 1)) throw new TrainError('TRAIN_INVALID_OPTIONS', `pseudo-label threshold ${threshold} must be in (0, 1]`);
  if (!(maxPerClass >= 0)) throw new TrainError('TRAIN_INVALID_OPTIONS', `pseudo-label maxPerClass ${maxPerClass} must be ≥ 0`);
  const [rows, classes] = probabilities.shape as [number, number];
  if (probabilities.shape.length !== 2 || probabilities.data.length !== rows * classes || classes < 1) {
    throw new TrainError('TRAIN_INVALID_DATA', `pseudo-label probabilities of shape [${probabilities.shape.join(', ')}] with ${probabilities.data.length} values are not [rows, classes]`);
  }
  const chosen: { row: number; label: number; confidence: number }[] = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities.data[r * classes + c]! > probabilities.data[r * classes + best]!) best = c;
    const confidence = probabilities.data[r * classes + best]!;
    if (confidence >= threshold) chosen.push({ row: r, label: best, confidence });
  }
  let kept = chosen;
  if (Number.isFinite(maxPerClass)) {
    const perClass = new Map<number, typeof chosen>();
    for (const c of chosen) perClass.set(c.label, [...(perClass.get(c.label) ?? []), c]);
    kept = [...perClass.values()].flatMap((list) => list.sort((a, b) => b.confidence - a.confidence || a.row - b.row).slice(0, maxPerClass));
    kept.sort((a, b) => a.row - b.row);
  }
  return {
    indices: Int32Array.from(kept, (c) => c.row),
    labels: Int32Array.from(kept, (c) => c.label),
    confidences: Float32Array.from(kept, (c) => c.confidence),
  };
}
