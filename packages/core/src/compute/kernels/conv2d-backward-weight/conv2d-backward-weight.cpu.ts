import type { TypedArray } from '../../dtype.js';
import type { ConvGeometry } from '../conv2d/conv2d.shape.js';

/** dw[m, c, ky, kx] = Σ_{n, oy, ox} dy[n, m, oy, ox] · x[n, group's c, tap's iy, ix]: float64, one rounding. */
export function conv2dBackwardWeightCpu(x: TypedArray, dy: TypedArray, dw: Float32Array, g: ConvGeometry): void {
  const { height: H, width: W, kernelHeight: KH, kernelWidth: KW, outHeight: OH, outWidth: OW } = g;
  for (let m = 0; m < g.outChannels; m++) {
    const firstChannel = Math.floor(m / g.groupOutChannels) * g.groupChannels;
    for (let c = 0; c < g.groupChannels; c++) {
      for (let ky = 0; ky < KH; ky++) {
        for (let kx = 0; kx < KW; kx++) {
          let sum = 0;
          for (let n = 0; n < g.batch; n++) {
            const plane = (n * g.channels + firstChannel + c) * H * W;
            const grads = (n * g.outChannels + m) * OH * OW;
            for (let oy = 0; oy < OH; oy++) {
              const iy = oy * g.strideY + ky * g.dilationY - g.padTop;
              if (iy < 0 || iy >= H) continue;
              for (let ox = 0; ox < OW; ox++) {
                const ix = ox * g.strideX + kx * g.dilationX - g.padLeft;
                if (ix < 0 || ix >= W) continue;
                sum += dy[grads + oy * OW + ox]! * x[plane + iy * W + ix]!;
              }
            }
          }
          dw[((m * g.groupChannels + c) * KH + ky) * KW + kx] = sum;
        }
      }
    }
  }
}
