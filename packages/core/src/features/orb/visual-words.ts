import { Rng } from '../../compute/random.js';
import { kmeansPlusPlus } from '../kmeans-plus-plus.js';
import { DESCRIPTOR_BITS, DESCRIPTOR_WORDS, hamming } from './brief.js';

/**
 * A codebook of binary visual words fitted by k-majority (k-means under the Hamming distance:
 * each word is the bitwise majority of the descriptors nearest it), seeded k-means++ start.
 * `descriptors` is [n × DESCRIPTOR_WORDS]; returns [words × DESCRIPTOR_WORDS].
 */
export function fitCodebook(descriptors: Uint32Array, words: number, options: { seed: number; iterations: number }): Uint32Array {
  const n = descriptors.length / DESCRIPTOR_WORDS;
  const rng = new Rng(options.seed);
  const codebook = new Uint32Array(words * DESCRIPTOR_WORDS);
  if (n === 0) return codebook;
  const place = (row: number, word: number) => codebook.set(descriptors.subarray(row * DESCRIPTOR_WORDS, (row + 1) * DESCRIPTOR_WORDS), word * DESCRIPTOR_WORDS);
  kmeansPlusPlus(n, words, rng, place, (row, word) => hamming(descriptors, row, codebook, word) ** 2);
  const assignment = new Int32Array(n);
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      const w = nearestWord(descriptors, i, codebook);
      if (iteration === 0 || w !== assignment[i]) changed = true;
      assignment[i] = w;
    }
    if (!changed) break;
    const ones = new Int32Array(words * DESCRIPTOR_BITS);
    const members = new Int32Array(words);
    for (let i = 0; i < n; i++) {
      const w = assignment[i]!;
      members[w]!++;
      for (let b = 0; b < DESCRIPTOR_BITS; b++) if ((descriptors[i * DESCRIPTOR_WORDS + (b >> 5)]! >>> (b & 31)) & 1) ones[w * DESCRIPTOR_BITS + b]!++;
    }
    for (let w = 0; w < words; w++) {
      if (members[w] === 0) continue; // an empty word keeps its place
      for (let word = 0; word < DESCRIPTOR_WORDS; word++) {
        let bits = 0;
        for (let b = 0; b < 32; b++) if (2 * ones[w * DESCRIPTOR_BITS + word * 32 + b]! > members[w]!) bits |= 1 << b;
        codebook[w * DESCRIPTOR_WORDS + word] = bits >>> 0;
      }
    }
  }
  return codebook;
}

/** The codebook word nearest descriptor `i` (lowest index on ties). */
export function nearestWord(descriptors: Uint32Array, i: number, codebook: Uint32Array): number {
  const words = codebook.length / DESCRIPTOR_WORDS;
  let best = 0;
  let bestDistance = Infinity;
  for (let w = 0; w < words; w++) {
    const d = hamming(descriptors, i, codebook, w);
    if (d < bestDistance) {
      bestDistance = d;
      best = w;
    }
  }
  return best;
}

/** The L1-normalised histogram of nearest words (all zero for an image without keypoints). */
export function wordHistogram(descriptors: Uint32Array, codebook: Uint32Array, out: Float32Array): void {
  const n = descriptors.length / DESCRIPTOR_WORDS;
  out.fill(0);
  for (let i = 0; i < n; i++) out[nearestWord(descriptors, i, codebook)]! += 1 / n;
}
