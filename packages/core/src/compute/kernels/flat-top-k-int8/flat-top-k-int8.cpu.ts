import type { TypedArray } from '../../dtype.js';
import { FUSED_CHUNK } from '../../kernels-shared/running-top-k.wgsl.js';
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
  const rows = sliceChunks * FUSED_CHUNK;
  for (let q = 0; q < m; q++) for (let s = 0; s < slices; s++) {
    const candidates: { key: number; index: number }[] = [];
    for (let b = s * rows; b < Math.min(n, (s + 1) * rows); b++) {
      if (mask[b] === 0) continue;
      let sum = 0;
      for (let j = 0; j < d; j++) sum += queryCodes[q * d + j]! * codes[b * rowCodes + j]!;
      const key = f(f(f(sum) * scales[q]!) + bias[b]!);
      if (key > -Infinity) candidates.push({ key, index: b });
    }
    candidates.sort((a, b) => b.key - a.key || a.index - b.index);
    for (let r = 0; r < k; r++) {
      values[(q * slices + s) * k + r] = candidates[r]?.key ?? -Infinity;
      indices[(q * slices + s) * k + r] = candidates[r]?.index ?? -1;
    }
  }
}
