import type { CnnBatch } from './cnn-sessions.js';

/** Images [rows, C, H, W] (row-major, preprocessed), a label per row (−1: unlabelled) and optional sample weights. */
export interface CnnImages {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly weights?: Float32Array;
}

/** The rows at `indices` as one batch. */
export function gatherBatch(data: CnnImages, size: number, indices: Int32Array): CnnBatch {
  const n = indices.length;
  const x = new Float32Array(n * size);
  const labels = new Int32Array(n);
  const rowWeights = new Float32Array(n).fill(1);
  indices.forEach((row, b) => {
    x.set(data.images.subarray(row * size, (row + 1) * size), b * size);
    labels[b] = data.labels[row]!;
    if (data.weights) rowWeights[b] = data.weights[row]!;
  });
  return { x, labels, rowWeights };
}

/** 1 / Σ (row weight × class weight of the row's label): the batch loss is the weighted mean; 0 when no row counts. */
export function inverseBatchWeight(batch: CnnBatch, classWeights: Float32Array): number {
  let sum = 0;
  batch.labels.forEach((y, r) => {
    if (y >= 0) sum += (batch.rowWeights ? batch.rowWeights[r]! : 1) * classWeights[y]!;
  });
  return sum > 0 ? 1 / sum : 0;
}
