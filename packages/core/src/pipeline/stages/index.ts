import { createIndex } from '../../index/create-index.js';
import type { VectorIndex } from '../../index/types.js';
import type { FeatureMatrix } from '../feature-matrix.js';
import type { StageRun } from './context.js';

/** The training split without its augmented copies: the rows the case index and the drift reference describe. */
export interface OriginalRows {
  /** Row-major features of the original samples, in sample order. */
  readonly features: Float32Array;
  readonly dim: number;
  /** Per row: the sample's index in the train split (its id in the index) and its class. */
  readonly sampleIndex: Int32Array;
  readonly labels: Int32Array;
}

/** The first row of each sample (augmented copies come after their originals). */
export function originalRows(matrix: FeatureMatrix): OriginalRows {
  const seen = new Set<number>();
  const rows: number[] = [];
  for (let row = 0; row < matrix.rows; row++) {
    const sample = matrix.sampleIndex[row]!;
    if (!seen.has(sample)) (seen.add(sample), rows.push(row));
  }
  const features = new Float32Array(rows.length * matrix.dim);
  rows.forEach((row, k) => features.set(matrix.features.subarray(row * matrix.dim, (row + 1) * matrix.dim), k * matrix.dim));
  return {
    features,
    dim: matrix.dim,
    sampleIndex: Int32Array.from(rows, (row) => matrix.sampleIndex[row]!),
    labels: Int32Array.from(rows, (row) => matrix.labels[row]!),
  };
}

/**
 * The case index: the original training samples (not their augmented copies), with their labels as
 * metadata. A disk kind (lancedb) is built as an exact flat index here — the kNN head and the
 * out-of-distribution threshold then see what the exact LanceDB search will answer — and is
 * written as its table when the bundle is saved.
 */
export async function buildCaseIndex({ config, progress }: StageRun, originals: OriginalRows, classes: readonly string[]): Promise<VectorIndex> {
  progress({ stage: 'index', done: 0, total: 1 });
  const index = await createIndex({
    kind: config.index.kind === 'lancedb' ? 'flat' : config.index.kind,
    dim: originals.dim,
    metric: config.index.metric,
    ...(config.index.kind === 'hnsw' ? { M: config.index.hnsw.m, efConstruction: config.index.hnsw.efConstruction, efSearch: config.index.hnsw.efSearch } : {}),
  });
  index.addBatch(originals.sampleIndex, originals.features, Array.from(originals.labels, (label) => ({ label: classes[label]! })));
  progress({ stage: 'index', done: 1, total: 1 });
  return index;
}
