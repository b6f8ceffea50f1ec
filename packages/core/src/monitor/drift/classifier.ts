import type { Device } from '../../compute/device.js';
import type { FastMatmul } from '../../compute/fast-matmul/fast-matmul.js';
import { Rng } from '../../compute/random.js';
import { DriftError } from '../../errors.js';
import type { OnnxRuntime } from '../../onnx/session.js';
import { rocAuc } from '../../eval/ranking.js';
import { predictProbabilities } from '../../train/predict.js';
import { headProducts } from '../../train/products.js';
import { trainHead } from '../../train/trainer.js';
import { checkTwoSamples, type DriftResult, type EmbeddingMatrix } from './types.js';

export interface ClassifierOptions {
  /** Folds of the out-of-fold AUC (default 5). */
  readonly folds?: number;
  /** Seed of the folds and of the heads' training (default 0). */
  readonly seed?: number;
  /** Drift when the out-of-fold AUC exceeds this (default 0.55). */
  readonly threshold?: number;
  /** Epochs of each fold's head (default 30). */
  readonly epochs?: number;
  /** On a CPU device: run the matrix products here (ONNX Runtime's MLAS). */
  readonly fastMatmul?: FastMatmul;
  /** On a CPU device: each training step as one ONNX Runtime graph (the trainer's fused gradients). */
  readonly onnxRuntime?: OnnxRuntime;
}

/**
 * Domain-classifier drift test: the core's softmax head learns to tell live rows (label 1) from
 * reference rows (label 0) on standardized embeddings, in seeded stratified k-fold; the statistic
 * is the ROC AUC of the out-of-fold scores P(live). Where the two are indistinguishable it stays
 * near 0.5; any learnable difference raises it.
 */
export async function classifierDrift(device: Device, live: EmbeddingMatrix, reference: EmbeddingMatrix, options: ClassifierOptions = {}): Promise<DriftResult> {
  const folds = options.folds ?? 5;
  const threshold = options.threshold ?? 0.55;
  const epochs = options.epochs ?? 30;
  const seed = options.seed ?? 0;
  checkTwoSamples(live, reference, folds);
  if (!Number.isInteger(folds) || folds < 2) throw new DriftError('DRIFT_OPTION_INVALID', `classifier folds ${folds} must be an integer ≥ 2`);
  if (!(threshold > 0.5 && threshold < 1)) throw new DriftError('DRIFT_OPTION_INVALID', `classifier AUC threshold ${threshold} must be in (0.5, 1)`);
  if (!Number.isInteger(epochs) || epochs < 1) throw new DriftError('DRIFT_OPTION_INVALID', `classifier epochs ${epochs} must be a positive integer`);
  const { dim } = live;
  const total = live.rows + reference.rows;
  const features = standardized(live, reference);
  const labels = new Int32Array(total).fill(1, 0, live.rows).fill(0, live.rows);
  const foldOf = domainFolds(live.rows, reference.rows, folds, seed);
  const scores = new Float64Array(total);
  const products = headProducts(device, options.fastMatmul);
  for (let f = 0; f < folds; f++) {
    const train = rowsWhere(foldOf, (k) => k !== f);
    const test = rowsWhere(foldOf, (k) => k === f);
    const { head } = await trainHead(
      device,
      { head: 'softmax', inputDim: dim, classes: 2 },
      { epochs, batchSize: 64, optimizer: { kind: 'adam', lr: 0.01 }, earlyStopping: { enabled: false }, seed: seed + f },
      { features: gather(features, train, dim), labels: Int32Array.from(train, (i) => labels[i]!) },
      { ...(options.fastMatmul && { fastMatmul: options.fastMatmul }), ...(options.onnxRuntime && { onnxRuntime: options.onnxRuntime }) },
    );
    const probabilities = await predictProbabilities(device, head, gather(features, test, dim), { products });
    test.forEach((row, k) => (scores[row] = probabilities[k * 2 + 1]!));
  }
  const auc = rocAuc(Uint8Array.from(labels), scores);
  return { method: 'classifier', statistic: auc, threshold, drifted: auc > threshold, n: live.rows, details: { folds, epochs, referenceRows: reference.rows } };
}

/**
 * The fold of each pooled row (live rows first, then the reference): within each group a seeded
 * shuffle, then folds dealt round-robin, so every fold holds both groups in their proportion.
 */
export function domainFolds(liveRows: number, referenceRows: number, folds: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  const out = new Int32Array(liveRows + referenceRows);
  for (const [start, count] of [[0, liveRows], [liveRows, referenceRows]] as const) {
    const order = Array.from({ length: count }, (_, i) => start + i);
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    order.forEach((row, rank) => (out[row] = rank % folds));
  }
  return out;
}

/** Pooled rows scaled to zero mean and unit variance per component (a constant component stays 0). */
function standardized(live: EmbeddingMatrix, reference: EmbeddingMatrix): Float32Array {
  const { dim } = live;
  const out = new Float32Array(live.values.length + reference.values.length);
  out.set(live.values);
  out.set(reference.values, live.values.length);
  const rows = out.length / dim;
  for (let j = 0; j < dim; j++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += out[i * dim + j]!;
    mean /= rows;
    let variance = 0;
    for (let i = 0; i < rows; i++) variance += (out[i * dim + j]! - mean) ** 2;
    const scale = variance > 0 ? 1 / Math.sqrt(variance / rows) : 0;
    for (let i = 0; i < rows; i++) out[i * dim + j] = (out[i * dim + j]! - mean) * scale;
  }
  return out;
}

function rowsWhere(foldOf: Int32Array, keep: (fold: number) => boolean): number[] {
  const rows: number[] = [];
  foldOf.forEach((fold, row) => keep(fold) && rows.push(row));
  return rows;
}

function gather(features: Float32Array, rows: readonly number[], dim: number): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((row, k) => out.set(features.subarray(row * dim, (row + 1) * dim), k * dim));
  return out;
}
