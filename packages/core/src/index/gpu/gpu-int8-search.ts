import type { Device } from '../../compute/device.js';
import { flatTopKInt8 } from '../../compute/kernels/flat-top-k-int8/flat-top-k-int8.js';
import { Tensor } from '../../compute/tensor.js';
import { fusedSlices } from './fused-slices.js';
import { mergeParts } from './gpu-flat-search.js';

export { MAX_FLAT_TOP_K_INT8 } from '../../compute/kernels/flat-top-k-int8/flat-top-k-int8.js';

/** An int8 index's scan data resident on the GPU: codes [n, d rounded up to 4] (u8, 4 per word) and the kernel bias [n]. */
export interface ResidentInt8 {
  readonly codes: Tensor;
  readonly bias: Tensor;
}

/**
 * Int8 flat search on a Device with `flat-top-k-int8`: the query codes [m, d] and scales [m] (as
 * the CPU int8 scan prepares them) against the resident codes, k largest keys per query — one
 * dispatch when the query tiles fill the GPU, else slices of the base that `top-k-merge` reduces
 * (fusedSlices decides unless `slices` is given). Only [m, k] (key, row) pairs come back. Returns base row indices, −1 where fewer than k
 * rows passed the mask.
 */
export async function gpuInt8Search(
  device: Device,
  resident: ResidentInt8,
  query: { codes: Int16Array; scales: Float32Array },
  mask: Uint8Array,
  k: number,
  slices?: number,
): Promise<{ indices: Int32Array; values: Float32Array }> {
  const m = query.scales.length;
  const queryCodes = device.upload(Tensor.cpu('i16', [m, query.codes.length / m], query.codes));
  const scales = device.upload(Tensor.cpu('f32', [m], query.scales));
  const maskTensor = device.upload(Tensor.cpu('u8', [mask.length], mask));
  const n = resident.codes.shape[0]!;
  const partial = await device.run(flatTopKInt8, { queryCodes, scales, codes: resident.codes, bias: resident.bias, mask: maskTensor }, { k, slices: slices ?? fusedSlices(device, m, n) });
  const result = await mergeParts(device, partial, m, k, true);
  const indices = await device.read(result.indices);
  const values = await device.read(result.values);
  const temporaries = result === partial ? [] : [partial.values, partial.indices];
  for (const t of [queryCodes, scales, maskTensor, ...temporaries, result.values, result.indices]) t.dispose();
  return { indices: indices as Int32Array, values: values as Float32Array };
}
