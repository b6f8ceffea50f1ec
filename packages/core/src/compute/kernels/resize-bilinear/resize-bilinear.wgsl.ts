import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import type { CoordinateTransform, ResizeBilinearAttrs } from './resize-bilinear.shape.js';

/**
 * Every coordinate transform is the rational map o ↦ (o·p + q) / d with small integers p, q, d.
 * The shader evaluates it exactly in integers and only the final weights are rounded to f32,
 * so large images keep sub-pixel accuracy (an f32 coordinate near 4000 is only good to ~2e-4 px).
 */
function rationalMap(mode: CoordinateTransform, inSize: number, outSize: number): { p: number; q: number; d: number } {
  switch (mode) {
    case 'half_pixel':
      // (o + 0.5)·in/out − 0.5 = (o·2in + in − out) / 2out
      return { p: 2 * inSize, q: inSize - outSize, d: 2 * outSize };
    case 'pytorch_half_pixel':
      return outSize > 1 ? { p: 2 * inSize, q: inSize - outSize, d: 2 * outSize } : { p: 0, q: 0, d: 1 };
    case 'align_corners':
      return outSize > 1 ? { p: inSize - 1, q: 0, d: outSize - 1 } : { p: 0, q: 0, d: 1 };
    case 'asymmetric':
      return { p: inSize, q: 0, d: outSize };
  }
}

export const resizeBilinearWgsl = elementwiseWgsl<'x', 'out', ResizeBilinearAttrs>({
  each: 'out',
  uniforms: {
    in_h: 'u32', in_w: 'u32', out_h: 'u32', out_w: 'u32',
    p_y: 'u32', q_y: 'i32', d_y: 'u32',
    p_x: 'u32', q_x: 'i32', d_x: 'u32',
  },
  uniformValues: ({ x }, { height, width, coordinateTransform = 'half_pixel' }) => {
    const inHeight = x.shape[x.shape.length - 2]!;
    const inWidth = x.shape[x.shape.length - 1]!;
    const y = rationalMap(coordinateTransform, inHeight, height);
    const xs = rationalMap(coordinateTransform, inWidth, width);
    return { in_h: inHeight, in_w: inWidth, out_h: height, out_w: width, p_y: y.p, q_y: y.q, d_y: y.d, p_x: xs.p, q_x: xs.q, d_x: xs.d };
  },
  declarations: () => `
struct Taps { i0: u32, i1: u32, w0: f32, w1: f32 }

// Input coordinate (o·p + q) / d clamped to [0, size − 1], as two indices and their weights.
// Both weights come from the exact remainder, so neither carries the other's rounding.
fn taps(o: u32, p: u32, q: i32, d: u32, size: u32) -> Taps {
  let num = i32(o * p) + q;
  if (num <= 0) { return Taps(0u, 0u, 1.0, 0.0); }
  let i0 = u32(num) / d;
  if (i0 >= size - 1u) { return Taps(size - 1u, size - 1u, 1.0, 0.0); }
  let r = u32(num) % d;
  return Taps(i0, i0 + 1u, f32(d - r) / f32(d), f32(r) / f32(d));
}`,
  body: () => `
  let ox = i % params.out_w;
  let oy = (i / params.out_w) % params.out_h;
  let plane = i / (params.out_w * params.out_h);
  let ty = taps(oy, params.p_y, params.q_y, params.d_y, params.in_h);
  let tx = taps(ox, params.p_x, params.q_x, params.d_x, params.in_w);
  let row0 = (plane * params.in_h + ty.i0) * params.in_w;
  let row1 = (plane * params.in_h + ty.i1) * params.in_w;
  let top = load_x(row0 + tx.i0) * tx.w0 + load_x(row0 + tx.i1) * tx.w1;
  let bottom = load_x(row1 + tx.i0) * tx.w0 + load_x(row1 + tx.i1) * tx.w1;
  out[i] = top * ty.w0 + bottom * ty.w1;`,
});
