import type { TypedArray } from '../../dtype.js';
import type { WindowGeometry } from '../../kernels-shared/window-geometry.js';

/**
 * The largest value of each window, over taps inside the input (padding never wins), and its flat
 * index into x (ONNX MaxPool's Indices, row-major over N, C, H, W); ties keep the first tap in
 * row-major order. A window wholly in the padding gives 0 and index −1.
 */
export function maxPoolCpu(x: TypedArray, out: Float32Array, indices: Int32Array, g: WindowGeometry): void {
  const { height: H, width: W, outHeight: OH, outWidth: OW } = g;
  for (let plane = 0; plane < g.batch * g.channels; plane++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        let best = 0;
        let found = -1;
        for (let ky = 0; ky < g.kernelHeight; ky++) {
          const iy = oy * g.strideY + ky * g.dilationY - g.padTop;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < g.kernelWidth; kx++) {
            const ix = ox * g.strideX + kx * g.dilationX - g.padLeft;
            if (ix < 0 || ix >= W) continue;
            const at = plane * H * W + iy * W + ix;
            if (found < 0 || x[at]! > best) {
              best = x[at]!;
              found = at;
            }
          }
        }
        const o = (plane * OH + oy) * OW + ox;
        out[o] = best;
        indices[o] = found;
      }
    }
  }
}
