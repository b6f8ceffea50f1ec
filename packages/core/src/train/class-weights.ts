import { TrainError } from '../errors.js';

export type ClassWeighting = 'none' | 'balanced' | readonly number[];

/**
 * Loss weight of each class: all 1 ('none'); n / (C · count) ('balanced', scikit-learn's rule,
 * so rare classes weigh more; a class absent from the labels gets 1); or given, one per class.
 * Labels outside [0, classes) (unlabelled, −1) are not counted. With row weights (a mixed image's
 * two rows carry λ and 1 − λ) a row counts as much as its weight.
 */
export function classWeightsFor(weighting: ClassWeighting, labels: Int32Array, classes: number, rowWeights?: Float32Array): Float32Array {
  if (weighting === 'none') return new Float32Array(classes).fill(1);
  if (weighting === 'balanced') {
    const counts = new Float64Array(classes);
    let n = 0;
    labels.forEach((y, row) => {
      if (y >= 0 && y < classes) {
        const weight = rowWeights ? rowWeights[row]! : 1;
        counts[y]! += weight;
        n += weight;
      }
    });
    return Float32Array.from(counts, (count) => (count > 0 ? n / (classes * count) : 1));
  }
  if (!Array.isArray(weighting) && !ArrayBuffer.isView(weighting)) {
    throw new TrainError('TRAIN_INVALID_OPTIONS', `classWeights ${JSON.stringify(weighting)} must be none, balanced or one weight per class`);
  }
  if (weighting.length !== classes || !weighting.every((w) => w > 0 && Number.isFinite(w))) {
    throw new TrainError('TRAIN_INVALID_OPTIONS', `classWeights [${weighting.join(', ')}] must be ${classes} positive numbers, one per class`);
  }
  return Float32Array.from(weighting);
}
