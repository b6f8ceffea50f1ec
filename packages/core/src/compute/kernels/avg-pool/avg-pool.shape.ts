import type { Specs } from '../../kernel.js';
import { poolGeometry, type PoolAttrs, type WindowGeometry } from '../../kernels-shared/window-geometry.js';

export interface AvgPoolAttrs extends PoolAttrs {
  /** Divide by kH·kW, padding included (ONNX count_include_pad 1), or by the taps inside the input (default, 0). */
  readonly countIncludePad?: boolean;
}

export function avgPoolOutputs({ x }: Specs<'x'>, attrs: AvgPoolAttrs): Specs<'out'> {
  const g = poolGeometry('avg-pool', x, attrs);
  return { out: { shape: [g.batch, g.channels, g.outHeight, g.outWidth], dtype: 'f32' } };
}

/** How many taps of one window axis fall inside the input. */
function insideTaps(o: number, stride: number, dilation: number, pad: number, taps: number, size: number): number {
  let n = 0;
  for (let k = 0; k < taps; k++) {
    const i = o * stride + k * dilation - pad;
    if (i >= 0 && i < size) n++;
  }
  return n;
}

/** The divisor of output (oy, ox): kH·kW, or the taps inside the input (rows inside × columns inside). */
export function avgPoolDivisor(g: WindowGeometry, oy: number, ox: number, countIncludePad: boolean): number {
  if (countIncludePad) return g.kernelHeight * g.kernelWidth;
  return insideTaps(oy, g.strideY, g.dilationY, g.padTop, g.kernelHeight, g.height) * insideTaps(ox, g.strideX, g.dilationX, g.padLeft, g.kernelWidth, g.width);
}

/** The same divisor in WGSL, with WINDOW_WGSL's functions and uniforms in scope. */
export const AVG_POOL_DIVISOR_WGSL = `
fn avg_pool_divisor(oy: u32, ox: u32, count_include_pad: bool) -> f32 {
  if (count_include_pad) { return f32(params.kernel_h * params.kernel_w); }
  var rows = 0u;
  for (var ky = 0u; ky < params.kernel_h; ky++) { let iy = input_row(oy, ky); rows += select(0u, 1u, iy >= 0 && iy < i32(params.height)); }
  var cols = 0u;
  for (var kx = 0u; kx < params.kernel_w; kx++) { let ix = input_col(ox, kx); cols += select(0u, 1u, ix >= 0 && ix < i32(params.width)); }
  return f32(rows * cols);
}`;
