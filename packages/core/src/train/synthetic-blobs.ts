import { Rng } from '../compute/random.js';
import type { LabeledFeatures } from './trainer.js';

/**
 * Gaussian blobs: one random centre per class in [−spread, spread]^dim, unit-variance noise
 * around it, labels cycling through the classes. A separable problem of known difficulty for
 * tests and benchmarks.
 */
export function syntheticBlobs({ rows, dim, classes, spread = 2, seed = 1 }: { rows: number; dim: number; classes: number; spread?: number; seed?: number }): LabeledFeatures {
  const rng = new Rng(seed);
  const centres = Array.from({ length: classes }, () => rng.floats(dim, -spread, spread));
  const features = new Float32Array(rows * dim);
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const y = r % classes;
    labels[r] = y;
    for (let d = 0; d < dim; d++) features[r * dim + d] = centres[y]![d]! + rng.normal();
  }
  return { features, labels };
}

/** Rows [start, end) of a data set. */
export function sliceRows(data: LabeledFeatures, start: number, end: number): LabeledFeatures {
  const dim = data.features.length / data.labels.length;
  return { features: data.features.subarray(start * dim, end * dim), labels: data.labels.subarray(start, end) };
}
