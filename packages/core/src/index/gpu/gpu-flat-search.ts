import type { Device } from '../../compute/device.js';
import { flatTopK, MAX_FLAT_TOP_K } from '../../compute/kernels/flat-top-k/flat-top-k.js';
import { similarityTopK, MAX_SIMILARITY_TOP_K } from '../../compute/kernels/similarity-top-k/similarity-top-k.js';
import { topKMerge } from '../../compute/kernels/top-k-merge/top-k-merge.js';
import { Tensor } from '../../compute/tensor.js';
import type { VectorMetric } from '../types.js';
import { fusedSlices } from './fused-slices.js';

/** Candidates a GPU flat search can return per query (the per-workgroup top-k lives in workgroup memory). */
export const MAX_GPU_CANDIDATES = MAX_SIMILARITY_TOP_K;

/**
 * Flat search on a Device. Up to MAX_FLAT_TOP_K candidates per query it is `flat-top-k`: each
 * tile of queries walks the resident base and keeps its k best, in one dispatch when the tiles
 * fill the GPU (`slices` 1; fusedSlices decides unless given), else over slices of the base that
 * `top-k-merge` reduces. Beyond, `similarity-top-k` keeps each chunk's k best and `top-k-merge`
 * reduces the chunks. Only the k (index, score) pairs per query are read back. Returns base row
 * indices, −1 where fewer than k rows passed the mask.
 */
export async function gpuFlatSearch(
  device: Device,
  base: Tensor,
  queries: Float32Array,
  mask: Uint8Array,
  options: { metric: VectorMetric; k: number; slices?: number },
): Promise<{ indices: Int32Array; values: Float32Array }> {
  const [n, d] = base.shape as [number, number];
  const m = queries.length / d;
  const { metric, k } = options;
  const q = device.upload(Tensor.cpu('f32', [m, d], queries));
  const maskTensor = device.upload(Tensor.cpu('u8', [mask.length], mask));
  const temporaries: Tensor[] = [q, maskTensor];
  let partial: { values: Tensor; indices: Tensor };
  if (k <= MAX_FLAT_TOP_K) {
    partial = await device.run(flatTopK, { queries: q, base, mask: maskTensor }, { metric, k, slices: options.slices ?? fusedSlices(device, m, n) });
  } else {
    partial = await device.run(similarityTopK, { queries: q, base, mask: maskTensor }, { metric, k });
  }
  const result = await mergeParts(device, partial, m, k, metric !== 'l2');
  if (result !== partial) temporaries.push(partial.values, partial.indices);
  const indices = await device.read(result.indices);
  const values = await device.read(result.values);
  for (const t of [...temporaries, result.values, result.indices]) t.dispose();
  return { indices: indices as Int32Array, values: values as Float32Array };
}

/** [m, parts, k] candidate lists reduced to [m, k] by top-k-merge; a single part is already the answer. */
export async function mergeParts(device: Device, parts: { values: Tensor; indices: Tensor }, m: number, k: number, largest: boolean): Promise<{ values: Tensor; indices: Tensor }> {
  const count = parts.values.shape[1]!;
  if (count === 1) return parts;
  return device.run(topKMerge, { scores: parts.values.reshape([m, count * k]), ids: parts.indices.reshape([m, count * k]) }, { k, largest });
}
