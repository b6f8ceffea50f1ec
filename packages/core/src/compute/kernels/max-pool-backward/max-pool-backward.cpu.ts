import type { TypedArray } from '../../dtype.js';
import { outputIndex, type WindowGeometry } from '../../kernels-shared/window-geometry.js';

/**
 * dx at an input element is the sum of dy over the windows whose argmax it was. Gathered per input
 * element (the windows that can read it), as the GPU does, rather than scattered per output.
 */
export function maxPoolBackwardCpu(dy: TypedArray, indices: TypedArray, dx: Float32Array, g: WindowGeometry): void {
  const { height: H, width: W, outHeight: OH, outWidth: OW } = g;
  for (let plane = 0; plane < g.batch * g.channels; plane++) {
    for (let iy = 0; iy < H; iy++) {
      for (let ix = 0; ix < W; ix++) {
        const at = plane * H * W + iy * W + ix;
        let sum = 0;
        for (let ky = 0; ky < g.kernelHeight; ky++) {
          const oy = outputIndex(iy, g.padTop, ky, g.dilationY, g.strideY, OH);
          if (oy < 0) continue;
          for (let kx = 0; kx < g.kernelWidth; kx++) {
            const ox = outputIndex(ix, g.padLeft, kx, g.dilationX, g.strideX, OW);
            if (ox < 0) continue;
            const o = (plane * OH + oy) * OW + ox;
            if (indices[o] === at) sum += dy[o]!;
          }
        }
        dx[at] = sum;
      }
    }
  }
}
