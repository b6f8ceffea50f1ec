import { FeatureError } from '../../errors.js';
import { nearestCentre } from './float-codebook.js';

/** How an image's local descriptors become one fixed-length vector. */
export type Pooling = 'bovw' | 'vlad';
export const POOLINGS: readonly Pooling[] = ['bovw', 'vlad'];

/** The image vector's length: `words` for a bag of visual words, `words × dim` for VLAD. */
export function pooledLength(pooling: Pooling, words: number, dim: number): number {
  return pooling === 'vlad' ? words * dim : words;
}

export function checkPooling(kind: string, pooling: unknown): asserts pooling is Pooling {
  if (!POOLINGS.includes(pooling as Pooling)) throw new FeatureError('FEATURE_OPTION_INVALID', `${kind}: pooling "${String(pooling)}" is not one of ${POOLINGS.join(', ')}`);
}

/**
 * VLAD (Jégou et al. 2010) of one image's descriptors [m × dim] over a codebook [words × dim]:
 * for each word, the sum of the residuals (descriptor − word) of the descriptors nearest it;
 * then power normalisation (sign(v)·√|v|, damping bursty words) and L2 normalisation of the whole
 * vector (Arandjelović & Zisserman 2013). An image without descriptors gives all zeros.
 * Writes `out` [words × dim].
 */
export function vladVector(descriptors: Float32Array, codebook: Float32Array, dim: number, out: Float32Array): void {
  const m = descriptors.length / dim;
  const sums = new Float64Array(out.length);
  for (let i = 0; i < m; i++) {
    const w = nearestCentre(descriptors, i, codebook, dim);
    for (let d = 0; d < dim; d++) sums[w * dim + d]! += descriptors[i * dim + d]! - codebook[w * dim + d]!;
  }
  let norm = 0;
  for (let k = 0; k < sums.length; k++) {
    const v = Math.sign(sums[k]!) * Math.sqrt(Math.abs(sums[k]!));
    sums[k] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm);
  for (let k = 0; k < sums.length; k++) out[k] = norm > 0 ? sums[k]! / norm : 0;
}

/** The L1-normalised histogram of nearest words of descriptors [m × dim] (all zero without descriptors). */
export function floatWordHistogram(descriptors: Float32Array, codebook: Float32Array, dim: number, out: Float32Array): void {
  const m = descriptors.length / dim;
  out.fill(0);
  for (let i = 0; i < m; i++) out[nearestCentre(descriptors, i, codebook, dim)]! += 1 / m;
}
