import type { TypedArray } from '../../dtype.js';
import type { ConvGeometry } from './conv2d.shape.js';

/**
 * The reference convolution (ONNX Conv, cross-correlation): for every output, the bias plus the
 * window's taps summed in float64 in (input channel, ky, kx) order, one rounding to f32.
 */
export function conv2dCpu(x: TypedArray, w: TypedArray, b: TypedArray, out: Float32Array, g: ConvGeometry): void {
  const { height: H, width: W, kernelHeight: KH, kernelWidth: KW, outHeight: OH, outWidth: OW } = g;
  for (let n = 0; n < g.batch; n++) {
    for (let m = 0; m < g.outChannels; m++) {
      const firstChannel = Math.floor(m / g.groupOutChannels) * g.groupChannels;
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          let sum = b[m]!;
          for (let c = 0; c < g.groupChannels; c++) {
            const plane = (n * g.channels + firstChannel + c) * H * W;
            const taps = (m * g.groupChannels + c) * KH * KW;
            for (let ky = 0; ky < KH; ky++) {
              const iy = oy * g.strideY + ky * g.dilationY - g.padTop;
              if (iy < 0 || iy >= H) continue;
              for (let kx = 0; kx < KW; kx++) {
                const ix = ox * g.strideX + kx * g.dilationX - g.padLeft;
                if (ix < 0 || ix >= W) continue;
                sum += x[plane + iy * W + ix]! * w[taps + ky * KW + kx]!;
              }
            }
          }
          out[((n * g.outChannels + m) * OH + oy) * OW + ox] = sum;
        }
      }
    }
  }
}
