import type { HostTensor } from '../../kernel.js';
import type { ResizeNearestDims } from './resize-nearest.shape.js';

/** The reference gather: out[p, r, c] = x[p, rows[r], cols[c]], each index clamped into the plane. */
export function resizeNearestCpu(x: HostTensor, rows: Int32Array, cols: Int32Array, out: Float32Array, { planes, inHeight, inWidth, height, width }: ResizeNearestDims): void {
  const clamp = (v: number, size: number) => Math.min(Math.max(v, 0), size - 1);
  const src = x.data;
  let k = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * inHeight * inWidth;
    for (let r = 0; r < height; r++) {
      const row = base + clamp(rows[r]!, inHeight) * inWidth;
      for (let c = 0; c < width; c++) out[k++] = src[row + clamp(cols[c]!, inWidth)]!;
    }
  }
}
