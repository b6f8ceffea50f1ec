import type { Device } from '../../compute/device.js';
import { hammingNearest } from '../../compute/kernels/hamming-nearest/hamming-nearest.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { kmeansPlusPlus } from '../kmeans-plus-plus.js';
import { DESCRIPTOR_BITS, DESCRIPTOR_WORDS, hamming } from './brief.js';
import { readAndFree } from './orb-device-features.js';

/** Descriptors (or binary words) [m × 8] u32 as an i32 tensor on the device: the same bits. */
function upload(device: Device, rows: Uint32Array): Tensor<'i32'> {
  return device.upload(Tensor.cpu('i32', [rows.length / DESCRIPTOR_WORDS, DESCRIPTOR_WORDS], new Int32Array(rows.buffer, rows.byteOffset, rows.length)));
}

/** The nearest codebook word of each row of an uploaded descriptor tensor, by the hamming-nearest kernel on the Device. */
async function nearestWords(device: Device, descriptors: Tensor<'i32'>, codebook: Uint32Array): Promise<Int32Array> {
  if (descriptors.shape[0] === 0) return new Int32Array(0);
  const words = upload(device, codebook);
  try {
    return (await readAndFree(device, (await device.run(hammingNearest, { x: descriptors, codebook: words }, {})).out)) as Int32Array;
  } finally {
    words.dispose();
  }
}

/**
 * A codebook of binary visual words fitted by k-majority (k-means under the Hamming distance:
 * each word is the bitwise majority of the descriptors nearest it), seeded k-means++ start.
 * `descriptors` is [n × DESCRIPTOR_WORDS]; returns [words × DESCRIPTOR_WORDS]. Each iteration's
 * assignment (n × words distances) runs on the Device; the majority update (one pass over the
 * descriptors' bits) and the sequential k-means++ start stay on the host.
 */
export async function fitCodebook(device: Device, descriptors: Uint32Array, words: number, options: { seed: number; iterations: number }): Promise<Uint32Array> {
  const n = descriptors.length / DESCRIPTOR_WORDS;
  const rng = new Rng(options.seed);
  const codebook = new Uint32Array(words * DESCRIPTOR_WORDS);
  if (n === 0) return codebook;
  const place = (row: number, word: number) => codebook.set(descriptors.subarray(row * DESCRIPTOR_WORDS, (row + 1) * DESCRIPTOR_WORDS), word * DESCRIPTOR_WORDS);
  kmeansPlusPlus(n, words, rng, place, (row, word) => hamming(descriptors, row, codebook, word) ** 2);
  const rows = upload(device, descriptors);
  try {
    let assignment: Int32Array | null = null;
    for (let iteration = 0; iteration < options.iterations; iteration++) {
      const next = await nearestWords(device, rows, codebook);
      if (assignment && next.every((w, i) => w === assignment![i])) break;
      assignment = next;
      majorityUpdate(descriptors, assignment, codebook);
    }
  } finally {
    rows.dispose();
  }
  return codebook;
}

/** Each word with members becomes the bitwise majority of them (ties: 0); an empty word keeps its place. */
function majorityUpdate(descriptors: Uint32Array, assignment: Int32Array, codebook: Uint32Array): void {
  const words = codebook.length / DESCRIPTOR_WORDS;
  const ones = new Int32Array(words * DESCRIPTOR_BITS);
  const members = new Int32Array(words);
  for (let i = 0; i < assignment.length; i++) {
    const w = assignment[i]!;
    members[w]!++;
    for (let b = 0; b < DESCRIPTOR_BITS; b++) if ((descriptors[i * DESCRIPTOR_WORDS + (b >> 5)]! >>> (b & 31)) & 1) ones[w * DESCRIPTOR_BITS + b]!++;
  }
  for (let w = 0; w < words; w++) {
    if (members[w] === 0) continue;
    for (let word = 0; word < DESCRIPTOR_WORDS; word++) {
      let bits = 0;
      for (let b = 0; b < 32; b++) if (2 * ones[w * DESCRIPTOR_BITS + word * 32 + b]! > members[w]!) bits |= 1 << b;
      codebook[w * DESCRIPTOR_WORDS + word] = bits >>> 0;
    }
  }
}

/**
 * The L1-normalised histogram of nearest words of each image's descriptors, into the rows of
 * `out` ([images × words]; all zero for an image without keypoints). The assignment of every
 * image's descriptors runs as one dispatch on the Device.
 */
export async function wordHistograms(device: Device, perImage: readonly Uint32Array[], codebook: Uint32Array, out: Float32Array): Promise<void> {
  const words = codebook.length / DESCRIPTOR_WORDS;
  const all = new Uint32Array(perImage.reduce((n, d) => n + d.length, 0));
  let at = 0;
  for (const d of perImage) {
    all.set(d, at);
    at += d.length;
  }
  const rows = upload(device, all);
  let nearest: Int32Array;
  try {
    nearest = await nearestWords(device, rows, codebook);
  } finally {
    rows.dispose();
  }
  out.fill(0);
  let first = 0;
  perImage.forEach((d, image) => {
    const count = d.length / DESCRIPTOR_WORDS;
    for (let k = first; k < first + count; k++) out[image * words + nearest[k]!]! += 1 / count;
    first += count;
  });
}
