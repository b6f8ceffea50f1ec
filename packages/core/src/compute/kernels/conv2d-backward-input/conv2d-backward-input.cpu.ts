import type { TypedArray } from '../../dtype.js';
import { outputIndex } from '../../kernels-shared/window-geometry.js';
import type { ConvGeometry } from '../conv2d/conv2d.shape.js';

/**
 * dx[n, c, iy, ix] = Σ over the outputs whose window tap (ky, kx) reads (iy, ix), and the group's
 * output channels m, of dy[n, m, oy, ox] · w[m, c mod C/group, ky, kx]: float64, one rounding.
 */
export function conv2dBackwardInputCpu(dy: TypedArray, w: TypedArray, dx: Float32Array, g: ConvGeometry): void {
  const { height: H, width: W, kernelHeight: KH, kernelWidth: KW, outHeight: OH, outWidth: OW } = g;
  for (let n = 0; n < g.batch; n++) {
    for (let c = 0; c < g.channels; c++) {
      const group = Math.floor(c / g.groupChannels);
      const cg = c % g.groupChannels;
      for (let iy = 0; iy < H; iy++) {
        for (let ix = 0; ix < W; ix++) {
          let sum = 0;
          for (let j = 0; j < g.groupOutChannels; j++) {
            const m = group * g.groupOutChannels + j;
            for (let ky = 0; ky < KH; ky++) {
              const oy = outputIndex(iy, g.padTop, ky, g.dilationY, g.strideY, OH);
              if (oy < 0) continue;
              for (let kx = 0; kx < KW; kx++) {
                const ox = outputIndex(ix, g.padLeft, kx, g.dilationX, g.strideX, OW);
                if (ox < 0) continue;
                sum += dy[((n * g.outChannels + m) * OH + oy) * OW + ox]! * w[((m * g.groupChannels + cg) * KH + ky) * KW + kx]!;
              }
            }
          }
          dx[((n * g.channels + c) * H + iy) * W + ix] = sum;
        }
      }
    }
  }
}
