import type { HostTensor } from '../../kernel.js';
import type { CoordinateTransform, ResizeBilinearAttrs } from './resize-bilinear.shape.js';

/** The input coordinate of output index `o` along one axis: ONNX Resize's formulas, in float64. */
export function originalCoordinate(mode: CoordinateTransform, o: number, inSize: number, outSize: number): number {
  const scale = outSize / inSize;
  switch (mode) {
    case 'half_pixel':
      return (o + 0.5) / scale - 0.5;
    case 'pytorch_half_pixel':
      return outSize > 1 ? (o + 0.5) / scale - 0.5 : 0;
    case 'align_corners':
      return outSize === 1 ? 0 : (o * (inSize - 1)) / (outSize - 1);
    case 'asymmetric':
      return o / scale;
  }
}

/** The two input indices an output index reads along one axis, and their weights. */
interface Taps {
  readonly i0: number;
  readonly i1: number;
  readonly w0: number;
  readonly w1: number;
}

/** Like ONNX Runtime: the coordinate is clamped to [0, size − 1], so edges repeat instead of fading. */
function axisTaps(mode: CoordinateTransform, inSize: number, outSize: number): Taps[] {
  const taps: Taps[] = [];
  for (let o = 0; o < outSize; o++) {
    const c = Math.min(Math.max(originalCoordinate(mode, o, inSize, outSize), 0), inSize - 1);
    const i0 = Math.floor(c);
    const t = c - i0;
    taps.push({ i0, i1: Math.min(i0 + 1, inSize - 1), w0: 1 - t, w1: t });
  }
  return taps;
}

/** The reference resize: plain loops, float64 arithmetic, one rounding to f32 per output. */
export function resizeBilinearCpu(x: HostTensor, { height, width, coordinateTransform = 'half_pixel' }: ResizeBilinearAttrs, out: Float32Array): void {
  const inHeight = x.shape[x.shape.length - 2]!;
  const inWidth = x.shape[x.shape.length - 1]!;
  const rows = axisTaps(coordinateTransform, inHeight, height);
  const cols = axisTaps(coordinateTransform, inWidth, width);
  const planes = out.length / (height * width);
  let k = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * inHeight * inWidth;
    for (const r of rows) {
      const row0 = base + r.i0 * inWidth;
      const row1 = base + r.i1 * inWidth;
      for (const c of cols) {
        const top = x.data[row0 + c.i0]! * c.w0 + x.data[row0 + c.i1]! * c.w1;
        const bottom = x.data[row1 + c.i0]! * c.w0 + x.data[row1 + c.i1]! * c.w1;
        out[k++] = top * r.w0 + bottom * r.w1;
      }
    }
  }
}
