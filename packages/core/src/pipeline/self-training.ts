import type { Head } from '../train/head.js';
import { pseudoLabel } from '../train/pseudo-label.js';
import type { FeatureMatrix } from './feature-matrix.js';

export interface SelfTrainingOptions {
  /** Label-and-retrain rounds after the first head (0: no pseudo-labelling). */
  readonly rounds: number;
  /** Top-class probability an unlabelled row needs to be labelled. */
  readonly threshold: number;
  readonly maxPerClass?: number;
}

/** What one pseudo-labelling round chose. */
export interface PseudoLabelRound {
  readonly round: number;
  /** Rows of the pool labelled in this round. */
  readonly labelled: number;
  /** How many of them went to each class. */
  readonly perClass: readonly number[];
}

export interface SelfTrainingSteps {
  /** Trains a fresh head on these rows (round 0: the labelled rows alone). */
  trainRound(rows: FeatureMatrix, round: number): Promise<Head>;
  /** Class probabilities [rows, classes] of a head for a matrix. */
  probabilities(head: Head, matrix: FeatureMatrix): Promise<Float32Array>;
  onRound?(round: PseudoLabelRound): void | Promise<void>;
}

/**
 * Self-training with pseudo-labels: round 0 trains on the labelled rows; each later round labels
 * the unlabelled pool with the head of the round before (rows whose top class has probability ≥
 * `threshold`, at most `maxPerClass` per class, most confident first) and trains a fresh head on
 * the labelled rows plus those. The whole pool is relabelled every round, so a row labelled wrongly
 * early can change class or drop out later.
 */
export async function selfTrain(labelled: FeatureMatrix, pool: FeatureMatrix | null, classes: number, options: SelfTrainingOptions, steps: SelfTrainingSteps): Promise<{ head: Head; rounds: PseudoLabelRound[] }> {
  let head = await steps.trainRound(labelled, 0);
  const rounds: PseudoLabelRound[] = [];
  if (!pool || pool.rows === 0) return { head, rounds };
  for (let round = 1; round <= options.rounds; round++) {
    const probabilities = await steps.probabilities(head, pool);
    const chosen = pseudoLabel({ data: probabilities, shape: [pool.rows, classes] }, options.threshold, options.maxPerClass === undefined ? {} : { maxPerClass: options.maxPerClass });
    const perClass = new Array<number>(classes).fill(0);
    for (const label of chosen.labels) perClass[label]!++;
    const record = { round, labelled: chosen.indices.length, perClass };
    rounds.push(record);
    await steps.onRound?.(record);
    head = await steps.trainRound(appendRows(labelled, pool, chosen.indices, chosen.labels), round);
  }
  return { head, rounds };
}

/** The labelled matrix followed by the chosen pool rows with their pseudo-labels. */
function appendRows(matrix: FeatureMatrix, pool: FeatureMatrix, rows: Int32Array, labels: Int32Array): FeatureMatrix {
  const { dim } = matrix;
  const total = matrix.rows + rows.length;
  const features = new Float32Array(total * dim);
  features.set(matrix.features);
  const sampleIndex = new Int32Array(total);
  sampleIndex.set(matrix.sampleIndex);
  rows.forEach((row, k) => {
    features.set(pool.features.subarray(row * dim, (row + 1) * dim), (matrix.rows + k) * dim);
    sampleIndex[matrix.rows + k] = -1 - pool.sampleIndex[row]!; // not a labelled sample: kept apart from the case index
  });
  const allLabels = new Int32Array(total);
  allLabels.set(matrix.labels);
  allLabels.set(labels, matrix.rows);
  if (!matrix.weights) return { features, labels: allLabels, sampleIndex, rows: total, dim };
  // Row weights of the labelled rows (mixed images) carry over; a pseudo-labelled row weighs 1.
  const weights = new Float32Array(total).fill(1);
  weights.set(matrix.weights);
  return { features, labels: allLabels, sampleIndex, rows: total, dim, weights };
}
