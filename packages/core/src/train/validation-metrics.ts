/**
 * The metrics the trainer computes itself on the validation split, from probabilities
 * [rows, classes]. Other metrics come from the `evaluate` callback (src/eval).
 * Rows whose label is outside [0, classes) are skipped.
 */
export function validationMetrics(probabilities: Float32Array, labels: Int32Array, classes: number): { loss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  let counted = 0;
  for (let r = 0; r < labels.length; r++) {
    const y = labels[r]!;
    if (y < 0 || y >= classes) continue;
    const base = r * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[base + c]! > probabilities[base + best]!) best = c;
    if (best === y) correct++;
    // Cross-entropy of the true class, clipped as log-loss metrics do so one 0 does not give ∞.
    loss -= Math.log(Math.max(probabilities[base + y]!, 1e-15));
    counted++;
  }
  return { loss: counted ? loss / counted : Number.NaN, accuracy: counted ? correct / counted : Number.NaN };
}
