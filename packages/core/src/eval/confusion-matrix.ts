import { checkLabels, checkSameLength, checkScores, rowsOf, type Labels, type Scores } from './inputs.js';

/**
 * Counts of (true class, predicted class) pairs: `matrix[t][p]` is the number of samples of class t
 * predicted as p — rows are the truth, columns the prediction, as in scikit-learn's
 * `confusion_matrix(y_true, y_pred, labels=range(C))`.
 */
export function confusionMatrix(labels: Labels, predictions: Labels, numClasses: number): number[][] {
  checkSameLength('confusionMatrix', labels, predictions, 'labels', 'predictions');
  checkLabels('confusionMatrix', labels, numClasses);
  checkLabels('confusionMatrix', predictions, numClasses, 'predictions');
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]!]![predictions[i]!]! += 1;
  return matrix;
}

/**
 * The predicted class of each row of an N×C probability (or logit) matrix: its argmax. Ties go to
 * the lowest class index, as numpy's `argmax` does.
 */
export function argmaxPredictions(probabilities: Scores, numClasses: number): Int32Array {
  const samples = rowsOf('argmaxPredictions', probabilities, numClasses);
  checkScores('argmaxPredictions', probabilities, false, 'probabilities');
  const predictions = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    const row = i * numClasses;
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probabilities[row + c]! > probabilities[row + best]!) best = c;
    predictions[i] = best;
  }
  return predictions;
}

/** Row sums (samples per true class), column sums (predictions per class) and the total of a confusion matrix. */
export function marginsOf(matrix: readonly (readonly number[])[]): { support: number[]; predicted: number[]; total: number } {
  const size = matrix.length;
  const support = new Array<number>(size).fill(0);
  const predicted = new Array<number>(size).fill(0);
  let total = 0;
  for (let t = 0; t < size; t++) {
    for (let p = 0; p < size; p++) {
      const count = matrix[t]![p]!;
      support[t]! += count;
      predicted[p]! += count;
      total += count;
    }
  }
  return { support, predicted, total };
}
