import type { Device } from '../../compute/device.js';
import { similarityTopK, MAX_SIMILARITY_TOP_K } from '../../compute/kernels/similarity-top-k/similarity-top-k.js';
import { topKMerge } from '../../compute/kernels/top-k-merge/top-k-merge.js';
import { Tensor } from '../../compute/tensor.js';
import type { VectorMetric } from '../types.js';

/** Candidates a GPU flat search can return per query (the per-workgroup top-k lives in workgroup memory). */
export const MAX_GPU_CANDIDATES = MAX_SIMILARITY_TOP_K;

/**
 * Flat search on a Device: `similarity-top-k` scores queries against the resident base in tiles
 * and keeps each chunk's k best, `top-k-merge` reduces the chunks to k per query. Only the k
 * (index, score) pairs per query are read back. Returns base row indices, −1 where fewer than k
 * rows passed the mask.
 */
export async function gpuFlatSearch(
  device: Device,
  base: Tensor,
  queries: Float32Array,
  mask: Uint8Array,
  options: { metric: VectorMetric; k: number },
): Promise<{ indices: Int32Array; values: Float32Array }> {
  const d = base.shape[1]!;
  const m = queries.length / d;
  const q = device.upload(Tensor.cpu('f32', [m, d], queries));
  const maskTensor = device.upload(Tensor.cpu('u8', [mask.length], mask));
  const partial = await device.run(similarityTopK, { queries: q, base, mask: maskTensor }, { metric: options.metric, k: options.k });
  const candidates = partial.values.shape[1]! * options.k;
  const merged = await device.run(topKMerge, { scores: partial.values.reshape([m, candidates]), ids: partial.indices.reshape([m, candidates]) }, { k: options.k, largest: options.metric !== 'l2' });
  const indices = await device.read(merged.indices);
  const values = await device.read(merged.values);
  for (const t of [q, maskTensor, partial.values, partial.indices, merged.values, merged.indices]) if (t !== base) t.dispose();
  return { indices: indices as Int32Array, values: values as Float32Array };
}
