import type { Device } from '../../compute/device.js';
import { pairwiseSimilarity } from '../../compute/kernels/pairwise-similarity/pairwise-similarity.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { kmeansPlusPlus } from '../kmeans-plus-plus.js';

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

/** Most training descriptors a codebook is fitted on (k-means over tens of words needs no more). */
export const CODEBOOK_SAMPLE_ROWS = 50_000;

/** At most `max` rows of `data` ([rows × width]), evenly spaced, in order; all of them when fewer. */
export function evenlySpacedRows<T extends Float32Array | Uint32Array>(data: T, width: number, max: number): T {
  const rows = data.length / width;
  if (rows <= max) return data;
  const out = new (data.constructor as new (length: number) => T)(max * width);
  for (let i = 0; i < max; i++) {
    const row = Math.floor((i * rows) / max);
    out.set(data.subarray(row * width, (row + 1) * width), i * width);
  }
  return out;
}

/** Rows of training vectors per Device call of the assignment step (bounds buffer sizes). */
const CHUNK_ROWS = 16384;

/**
 * A codebook of `words` centres fitted by k-means (Lloyd) on rows of `vectors` [n × dim], from a
 * seeded k-means++ start; a centre left without members keeps its place. With fewer rows than
 * words the extra centres stay at 0. The assignment step, the n × words distances, runs on the
 * Device (the pairwise-similarity kernel, squared L2; the training rows are uploaded once, in
 * chunks); the start and the centre means on the host. Returns [words × dim].
 */
export async function fitFloatCodebook(device: Device, vectors: Float32Array, dim: number, words: number, options: { seed: number; iterations: number }): Promise<Float32Array> {
  const n = vectors.length / dim;
  const codebook = kmeansPlusPlusStart(vectors, dim, words, new Rng(options.seed));
  if (n === 0) return codebook;
  const chunks: Tensor[] = [];
  for (let at = 0; at < n; at += CHUNK_ROWS) {
    const rows = Math.min(CHUNK_ROWS, n - at);
    chunks.push(device.upload(Tensor.cpu('f32', [rows, dim], vectors.slice(at * dim, (at + rows) * dim))));
  }
  const assignment = new Int32Array(n).fill(-1);
  const sums = new Float64Array(words * dim);
  const members = new Int32Array(words);
  try {
    for (let iteration = 0; iteration < options.iterations; iteration++) {
      const centres = device.upload(Tensor.cpu('f32', [words, dim], codebook));
      let changed = false;
      let row = 0;
      for (const queries of chunks) {
        const { scores } = await device.run(pairwiseSimilarity, { queries, base: centres }, { metric: 'l2' });
        const distances = (await device.read(scores)) as Float32Array;
        scores.dispose();
        for (let i = 0; i < queries.shape[0]!; i++, row++) {
          let best = 0;
          for (let w = 1; w < words; w++) if (distances[i * words + w]! < distances[i * words + best]!) best = w;
          if (best !== assignment[row]) changed = true;
          assignment[row] = best;
        }
      }
      centres.dispose();
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
  } finally {
    for (const chunk of chunks) chunk.dispose();
  }
  return codebook;
}

/** k-means++ start of the float codebook (centres past the rows stay at 0). */
function kmeansPlusPlusStart(vectors: Float32Array, dim: number, words: number, rng: Rng): Float32Array {
  const codebook = new Float32Array(words * dim);
  const place = (row: number, centre: number) => codebook.set(vectors.subarray(row * dim, (row + 1) * dim), centre * dim);
  kmeansPlusPlus(vectors.length / dim, words, rng, place, (row, centre) => squaredDistance(vectors, row, codebook, centre, dim));
  return codebook;
}
