import { ShapeError } from '../../errors.js';
import type { Specs, TensorSpec } from '../kernel.js';
import { formatShape } from '../shape.js';
import { SIMILARITY_METRICS, type SimilarityMetric } from './similarity-metric.js';

/** `kernel "name"`: how the top-k kernels' shape errors name themselves. */
function label(kernel: string): string {
  return `kernel "${kernel}"`;
}

/** Checks the metric and queries [m, d] against base [n, d]; returns m, n, d. */
export function similarityInputDims(kernel: string, queries: TensorSpec, base: TensorSpec, metric: SimilarityMetric): { m: number; n: number; d: number } {
  const name = label(kernel);
  if (!SIMILARITY_METRICS.includes(metric)) throw new ShapeError(`${name}: metric "${metric}" is not one of ${SIMILARITY_METRICS.join(', ')}`);
  if (queries.shape.length !== 2 || base.shape.length !== 2 || queries.shape[1] !== base.shape[1]) {
    throw new ShapeError(`${name}: queries ${formatShape(queries.shape)} and base ${formatShape(base.shape)} must be [m, d] and [n, d]`);
  }
  const [m, d] = queries.shape as [number, number];
  return { m, n: base.shape[0]!, d };
}

/** The candidate mask [n] (1 = candidate), k in [1, maxK] and, for the fused scans, slices ≥ 1. */
export function checkTopKArgs(kernel: string, mask: TensorSpec, n: number, k: number, maxK: number, slices = 1): void {
  const name = label(kernel);
  if (mask.shape.length !== 1 || mask.shape[0] !== n) throw new ShapeError(`${name}: mask ${formatShape(mask.shape)} must be [${n}] (1 = candidate)`);
  if (!Number.isInteger(k) || k < 1 || k > maxK) throw new ShapeError(`${name}: k = ${k} must be an integer in [1, ${maxK}]`);
  if (!Number.isInteger(slices) || slices < 1) throw new ShapeError(`${name}: slices = ${slices} must be an integer ≥ 1`);
}

/** The top-k kernels' outputs: values and indices [m, segments, k] (segments: chunks or slices). */
export function topKOutputSpecs(m: number, segments: number, k: number): Specs<'values' | 'indices'> {
  return { values: { shape: [m, segments, k], dtype: 'f32' }, indices: { shape: [m, segments, k], dtype: 'i32' } };
}
