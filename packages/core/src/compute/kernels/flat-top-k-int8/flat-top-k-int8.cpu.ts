import type { TypedArray } from '../../dtype.js';
import { FUSED_CHUNK } from '../../kernels-shared/running-top-k.wgsl.js';
import { segmentTopK } from '../../kernels-shared/segment-top-k.js';
import type { FlatTopKInt8Dims } from './flat-top-k-int8.shape.js';

const f = Math.fround;

/**
 * Reference, the key of the CPU int8 scan (index/simd reference kernels): the exact integer sum of
 * query code × base code, then f32(f32(f32(sum) · scale) + bias). Per query the k largest keys of
 * masked-in vectors with a finite key per slice of the base (sliceChunks chunks of 256 rows),
 * equal keys by lower index, padded with (−∞, −1).
 */
export function flatTopKInt8Cpu(
  queryCodes: TypedArray,
  scales: TypedArray,
  codes: TypedArray,
  bias: TypedArray,
  mask: TypedArray,
  values: Float32Array,
  indices: Int32Array,
  { m, n, d, rowCodes, slices, sliceChunks }: FlatTopKInt8Dims,
  k: number,
): void {
  const key = (q: number, b: number): number | undefined => {
    if (mask[b] === 0) return undefined;
    let sum = 0;
    for (let j = 0; j < d; j++) sum += queryCodes[q * d + j]! * codes[b * rowCodes + j]!;
    const rowKey = f(f(f(sum) * scales[q]!) + bias[b]!);
    return rowKey > -Infinity ? rowKey : undefined;
  };
  segmentTopK({ m, n, k, segments: slices, segmentRows: sliceChunks * FUSED_CHUNK }, key, (rowKey) => rowKey, { values, indices });
}
