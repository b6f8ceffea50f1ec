import type { TypedArray } from '../../dtype.js';
import type { WindowGeometry } from '../../kernels-shared/window-geometry.js';
import { avgPoolDivisor } from './avg-pool.shape.js';

/** The mean of each window's taps inside the input, in float64; a window with none gives 0. */
export function avgPoolCpu(x: TypedArray, out: Float32Array, g: WindowGeometry, countIncludePad: boolean): void {
  const { height: H, width: W, outHeight: OH, outWidth: OW } = g;
  for (let plane = 0; plane < g.batch * g.channels; plane++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        let sum = 0;
        for (let ky = 0; ky < g.kernelHeight; ky++) {
          const iy = oy * g.strideY + ky * g.dilationY - g.padTop;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < g.kernelWidth; kx++) {
            const ix = ox * g.strideX + kx * g.dilationX - g.padLeft;
            if (ix >= 0 && ix < W) sum += x[plane * H * W + iy * W + ix]!;
          }
        }
        const divisor = avgPoolDivisor(g, oy, ox, countIncludePad);
        out[(plane * OH + oy) * OW + ox] = divisor > 0 ? sum / divisor : 0;
      }
    }
  }
}
