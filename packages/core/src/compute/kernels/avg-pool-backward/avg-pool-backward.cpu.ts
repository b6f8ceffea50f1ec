import type { TypedArray } from '../../dtype.js';
import { outputIndex, type WindowGeometry } from '../../kernels-shared/window-geometry.js';
import { avgPoolDivisor } from '../avg-pool/avg-pool.shape.js';

/** dx at an input element: Σ dy[o] / divisor(o) over the windows o that read it, gathered per element. */
export function avgPoolBackwardCpu(dy: TypedArray, dx: Float32Array, g: WindowGeometry, countIncludePad: boolean): void {
  const { height: H, width: W, outHeight: OH, outWidth: OW } = g;
  for (let plane = 0; plane < g.batch * g.channels; plane++) {
    for (let iy = 0; iy < H; iy++) {
      for (let ix = 0; ix < W; ix++) {
        let sum = 0;
        for (let ky = 0; ky < g.kernelHeight; ky++) {
          const oy = outputIndex(iy, g.padTop, ky, g.dilationY, g.strideY, OH);
          if (oy < 0) continue;
          for (let kx = 0; kx < g.kernelWidth; kx++) {
            const ox = outputIndex(ix, g.padLeft, kx, g.dilationX, g.strideX, OW);
            if (ox >= 0) sum += dy[(plane * OH + oy) * OW + ox]! / avgPoolDivisor(g, oy, ox, countIncludePad);
          }
        }
        dx[plane * H * W + iy * W + ix] = sum;
      }
    }
  }
}
