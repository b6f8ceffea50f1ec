import type { LabeledSample } from '../../data/dataset.js';
import { RetrainError } from '../../errors.js';
import { predictSamples } from '../predict-samples.js';
import type { Predictor } from '../predictor.js';

/**
 * A served model's probabilities on the held-out samples — through its Predictor, exactly as it
 * answers in service (its own preprocessing, extractor, PCA, calibrated head) — with the columns
 * put in `classes` order. A model whose classes are not the same set is RETRAIN_CLASSES_DIFFER.
 */
export async function heldOutProbabilities(predictor: Predictor, samples: readonly LabeledSample[], classes: readonly string[], onChunk?: (done: number) => void): Promise<Float32Array> {
  const column = classColumns(predictor.bundle.manifest.classes, classes, predictor.bundle.manifest.name);
  const probabilities = new Float32Array(samples.length * classes.length);
  await predictSamples(predictor, samples, (predictions, chunk, start) => {
    predictions.forEach((prediction, row) => {
      prediction.probabilities.forEach((p, c) => (probabilities[(start + row) * classes.length + column[c]!] = p));
    });
    onChunk?.(start + chunk.length);
  });
  return probabilities;
}

/** For each of the model's classes, its column among `classes`; RETRAIN_CLASSES_DIFFER unless both are the same set. */
export function classColumns(modelClasses: readonly string[], classes: readonly string[], model: string): number[] {
  const same = modelClasses.length === classes.length && modelClasses.every((c) => classes.includes(c));
  if (!same) {
    throw new RetrainError('RETRAIN_CLASSES_DIFFER', `model ${model} predicts the classes [${modelClasses.join(', ')}], the config's data has [${classes.join(', ')}]; champion and challenger must be judged on the same classes`);
  }
  return modelClasses.map((c) => classes.indexOf(c));
}
