import type { Device } from '../../compute/device.js';
import { flatTopK, MAX_FLAT_TOP_K } from '../../compute/kernels/flat-top-k/flat-top-k.js';
import { similarityTopK, MAX_SIMILARITY_TOP_K } from '../../compute/kernels/similarity-top-k/similarity-top-k.js';
import { topKMerge } from '../../compute/kernels/top-k-merge/top-k-merge.js';
import { Tensor } from '../../compute/tensor.js';
import type { VectorMetric } from '../types.js';

/** Candidates a GPU flat search can return per query (the per-workgroup top-k lives in workgroup memory). */
export const MAX_GPU_CANDIDATES = MAX_SIMILARITY_TOP_K;

/**
 * Flat search on a Device. Up to MAX_FLAT_TOP_K candidates per query it is one dispatch of
 * `flat-top-k` (each tile of queries walks the resident base and keeps its k best); beyond, two:
 * `similarity-top-k` keeps each chunk's k best and `top-k-merge` reduces the chunks. Only the k
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
  const temporaries: Tensor[] = [q, maskTensor];
  let result: { values: Tensor; indices: Tensor };
  if (options.k <= MAX_FLAT_TOP_K) {
    result = await device.run(flatTopK, { queries: q, base, mask: maskTensor }, { metric: options.metric, k: options.k });
  } else {
    const partial = await device.run(similarityTopK, { queries: q, base, mask: maskTensor }, { metric: options.metric, k: options.k });
    const candidates = partial.values.shape[1]! * options.k;
    result = await device.run(topKMerge, { scores: partial.values.reshape([m, candidates]), ids: partial.indices.reshape([m, candidates]) }, { k: options.k, largest: options.metric !== 'l2' });
    temporaries.push(partial.values, partial.indices);
  }
  const indices = await device.read(result.indices);
  const values = await device.read(result.values);
  for (const t of [...temporaries, result.values, result.indices]) t.dispose();
  return { indices: indices as Int32Array, values: values as Float32Array };
}
