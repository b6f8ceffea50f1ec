import { Rng } from '../../compute/random.js';

/** Squared Euclidean distance between row `i` of `a` and row `j` of `b`, both `dim` wide. */
export function squaredDistance(a: Float32Array, i: number, b: Float32Array, j: number, dim: number): number {
  let d = 0;
  for (let k = 0, p = i * dim, q = j * dim; k < dim; k++, p++, q++) {
    const e = a[p]! - b[q]!;
    d += e * e;
  }
  return d;
}

/** The codebook row nearest row `i` of `vectors` (lowest index on ties). */
export function nearestCentre(vectors: Float32Array, i: number, codebook: Float32Array, dim: number): number {
  const words = codebook.length / dim;
  let best = 0;
  let bestDistance = Infinity;
  for (let w = 0; w < words; w++) {
    const d = squaredDistance(vectors, i, codebook, w, dim);
    if (d < bestDistance) [best, bestDistance] = [w, d];
  }
  return best;
}

/**
 * A codebook of `words` centres fitted by k-means (Lloyd) on rows of `vectors` [n × dim], from a
 * seeded k-means++ start; a centre left without members keeps its place. With fewer rows than
 * words the extra centres stay at 0. Returns [words × dim].
 */
export function fitFloatCodebook(vectors: Float32Array, dim: number, words: number, options: { seed: number; iterations: number }): Float32Array {
  const n = vectors.length / dim;
  const k = Math.min(words, n);
  const rng = new Rng(options.seed);
  const codebook = new Float32Array(words * dim);
  if (n === 0) return codebook;
  const nearest = new Float64Array(n).fill(Infinity);
  let pick = rng.int(0, n - 1);
  for (let c = 0; c < k; c++) {
    codebook.set(vectors.subarray(pick * dim, (pick + 1) * dim), c * dim);
    let total = 0;
    for (let i = 0; i < n; i++) {
      nearest[i] = Math.min(nearest[i]!, squaredDistance(vectors, i, codebook, c, dim));
      total += nearest[i]!;
    }
    if (total === 0) break;
    let r = rng.next() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= nearest[i]!;
      if (r < 0) {
        pick = i;
        break;
      }
    }
  }
  const assignment = new Int32Array(n).fill(-1);
  const sums = new Float64Array(words * dim);
  const members = new Int32Array(words);
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      const w = nearestCentre(vectors, i, codebook, dim);
      if (w !== assignment[i]) changed = true;
      assignment[i] = w;
    }
    if (!changed) break;
    sums.fill(0);
    members.fill(0);
    for (let i = 0; i < n; i++) {
      const w = assignment[i]!;
      members[w]!++;
      for (let d = 0; d < dim; d++) sums[w * dim + d]! += vectors[i * dim + d]!;
    }
    for (let w = 0; w < words; w++) {
      if (members[w] === 0) continue;
      for (let d = 0; d < dim; d++) codebook[w * dim + d] = sums[w * dim + d]! / members[w]!;
    }
  }
  return codebook;
}
