import { Rng } from '../../compute/random.js';
import type { SearchHit, VectorMetric } from '../types.js';

/**
 * Test data for the indexes: seeded Gaussian clusters (neighbourhoods like real embeddings have),
 * optionally with decaying per-dimension spread like PCA outputs, and a float64 brute force.
 */
export function clusteredVectors(seed: number, n: number, dim: number, options: { clusters?: number; decay?: number } = {}): Float32Array {
  const rng = new Rng(seed);
  const clusters = options.clusters ?? 12;
  const scale = Float64Array.from({ length: dim }, (_, j) => Math.exp(-(options.decay ?? 0) * j));
  const centres = Float64Array.from({ length: clusters * dim }, (_, i) => rng.normal() * scale[i % dim]!);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = rng.int(0, clusters - 1);
    for (let j = 0; j < dim; j++) out[i * dim + j] = centres[c * dim + j]! + 0.35 * rng.normal() * scale[j]!;
  }
  return out;
}

function prepared(metric: VectorMetric, v: ArrayLike<number>, offset: number, dim: number): Float64Array {
  const out = Float64Array.from({ length: dim }, (_, j) => v[offset + j]!);
  if (metric === 'cosine') {
    const norm = Math.hypot(...out);
    if (norm > 0) for (let j = 0; j < dim; j++) out[j]! /= norm;
  }
  return out;
}

/** Exact top-k by float64 brute force over (id, vector) rows that pass `keep`. */
export function bruteForce(metric: VectorMetric, ids: ArrayLike<number>, vectors: ArrayLike<number>, dim: number, query: ArrayLike<number>, k: number, keep: (row: number) => boolean = () => true): SearchHit[] {
  const q = prepared(metric, query, 0, dim);
  const hits: SearchHit[] = [];
  for (let r = 0; r < ids.length; r++) {
    if (!keep(r)) continue;
    const x = prepared(metric, vectors, r * dim, dim);
    let score = 0;
    for (let j = 0; j < dim; j++) score += metric === 'l2' ? (q[j]! - x[j]!) ** 2 : q[j]! * x[j]!;
    hits.push({ id: ids[r]!, score });
  }
  hits.sort(metric === 'l2' ? (a, b) => a.score - b.score : (a, b) => b.score - a.score);
  return hits.slice(0, k);
}

export { recallAtK } from '../recall.js';
