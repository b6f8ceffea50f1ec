import { IndexError } from '../errors.js';
import { VECTOR_METRICS, type VectorMetric, type SearchHit } from './types.js';

/** Largest id an index accepts: ids are stored as int32. */
export const MAX_ID = 2 ** 31 - 1;

export function checkMetric(metric: VectorMetric): void {
  if (!VECTOR_METRICS.includes(metric)) throw new IndexError('INDEX_INVALID_ARGUMENT', `metric "${metric}" is not one of ${VECTOR_METRICS.join(', ')}`);
}

export function checkDim(dim: number): void {
  if (!Number.isInteger(dim) || dim < 1 || dim > 65536) throw new IndexError('INDEX_INVALID_ARGUMENT', `dim = ${dim} must be an integer in [1, 65536]`);
}

export function checkId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > MAX_ID) throw new IndexError('INDEX_INVALID_ARGUMENT', `id ${id} must be an integer in [0, ${MAX_ID}]`);
}

export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new IndexError('INDEX_INVALID_ARGUMENT', `k = ${k} must be an integer ≥ 1`);
}

/** Throws unless `vector` has `dim` finite numbers. */
export function checkVector(vector: ArrayLike<number>, dim: number, what: string): void {
  if (vector === null || typeof vector !== 'object' || typeof vector.length !== 'number') {
    throw new IndexError('INDEX_INVALID_VECTOR', `${what} must be an array of ${dim} numbers`);
  }
  if (vector.length !== dim) {
    throw new IndexError('INDEX_DIMENSION_MISMATCH', `${what} has ${vector.length} values; this index has dim ${dim}`);
  }
  checkFinite(vector, dim, what, 0);
}

function checkFinite(vector: ArrayLike<number>, dim: number, what: string, offset: number): void {
  for (let j = 0; j < dim; j++) {
    const v = vector[offset + j];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new IndexError('INDEX_INVALID_VECTOR', `${what}[${j}] = ${v} is not a finite number`);
  }
}

/** Checks a row-major block of vectors and returns how many rows it holds. */
export function checkRows(values: ArrayLike<number>, dim: number, what: string): number {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number' || values.length % dim !== 0) {
    throw new IndexError('INDEX_DIMENSION_MISMATCH', `${what} must hold rows of dim ${dim} (row-major); it has ${values?.length} values`);
  }
  const rows = values.length / dim;
  for (let r = 0; r < rows; r++) checkFinite(values, dim, `${what} row ${r}`, r * dim);
  return rows;
}

/** The vector as stored: unit length for cosine (a zero vector stays zero and scores 0), else as given. */
export function storedVector(metric: VectorMetric, vector: ArrayLike<number>, offset: number, dim: number, out: Float32Array = new Float32Array(dim)): Float32Array {
  let norm = 1;
  if (metric === 'cosine') {
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += vector[offset + j]! * vector[offset + j]!;
    norm = sum > 0 ? Math.sqrt(sum) : 1;
  }
  for (let j = 0; j < dim; j++) out[j] = vector[offset + j]! / norm;
  return out;
}

/**
 * A query as the scan kernels take it: every kernel maximises `query·x + bias[x]`. For cosine the
 * query is normalised; for l2 it is doubled and bias = −‖x‖², since ‖q − x‖² = ‖q‖² − (2q·x − ‖x‖²).
 */
export function kernelQuery(metric: VectorMetric, query: ArrayLike<number>, offset: number, dim: number, out: Float32Array): Float32Array {
  storedVector(metric, query, offset, dim, out);
  if (metric === 'l2') for (let j = 0; j < dim; j++) out[j] = 2 * out[j]!;
  return out;
}

/** The per-vector term the kernels add: −‖x‖² for l2, 0 otherwise. */
export function vectorBias(metric: VectorMetric, x: ArrayLike<number>, dim: number): number {
  if (metric !== 'l2') return 0;
  let sum = 0;
  for (let j = 0; j < dim; j++) sum += x[j]! * x[j]!;
  return -sum;
}

/** The exact score (float64) of a stored vector against a raw query: similarity, or squared distance for l2. */
export function exactScore(metric: VectorMetric, query: ArrayLike<number>, queryNorm: number, x: ArrayLike<number>, dim: number): number {
  let sum = 0;
  if (metric === 'l2') {
    for (let j = 0; j < dim; j++) {
      const diff = query[j]! - x[j]!;
      sum += diff * diff;
    }
    return sum;
  }
  for (let j = 0; j < dim; j++) sum += query[j]! * x[j]!;
  return metric === 'cosine' ? (queryNorm > 0 ? sum / queryNorm : 0) : sum;
}

export function norm(vector: ArrayLike<number>, offset: number, dim: number): number {
  let sum = 0;
  for (let j = 0; j < dim; j++) sum += vector[offset + j]! * vector[offset + j]!;
  return Math.sqrt(sum);
}

/** Best first: descending similarity, ascending distance; equal scores by ascending id, so ties never depend on storage order. */
export function sortHits(metric: VectorMetric, hits: SearchHit[]): SearchHit[] {
  return hits.sort(metric === 'l2' ? (a, b) => a.score - b.score || a.id - b.id : (a, b) => b.score - a.score || a.id - b.id);
}
