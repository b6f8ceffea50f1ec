import { implicitGemmWgsl } from '../../kernels-shared/implicit-gemm.wgsl.js';
import { WINDOW_UNIFORMS, WINDOW_WGSL, windowUniformValues } from '../../kernels-shared/window-geometry.js';
import { CONV_GROUP_UNIFORMS, convGeometry, convGroupUniformValues, type Conv2dAttrs } from './conv2d.shape.js';

// Per group g: rows are output pixels (n, oy, ox), columns the group's output channels, and the
// summed index t the taps (c, ky, kx) — the weight's own row layout, so b_at reads w contiguously.
export const conv2dWgsl = implicitGemmWgsl<'x' | 'w' | 'b', 'out', Conv2dAttrs>({
  dims: ({ x, w }, attrs) => {
    const g = convGeometry('conv2d', x, w, attrs);
    return { groups: g.group, rows: g.batch * g.outHeight * g.outWidth, cols: g.groupOutChannels, depth: g.groupChannels * g.kernelHeight * g.kernelWidth };
  },
  uniforms: { ...WINDOW_UNIFORMS, ...CONV_GROUP_UNIFORMS },
  uniformValues: ({ x, w }, attrs) => {
    const g = convGeometry('conv2d', x, w, attrs);
    return { ...windowUniformValues(g), ...convGroupUniformValues(g) };
  },
  declarations: () => `${WINDOW_WGSL}
fn a_at(g: u32, row: u32, t: u32) -> f32 {
  let plane = params.out_h * params.out_w;
  let n = row / plane;
  let oy = (row % plane) / params.out_w;
  let ox = row % params.out_w;
  let taps = params.kernel_h * params.kernel_w;
  let c = t / taps;
  let ky = (t % taps) / params.kernel_w;
  let kx = t % params.kernel_w;
  let iy = input_row(oy, ky);
  let ix = input_col(ox, kx);
  if (!inside(iy, ix)) { return 0.0; }
  return load_x(((n * params.channels + g * params.group_channels + c) * params.height + u32(iy)) * params.width + u32(ix));
}
fn b_at(g: u32, t: u32, col: u32) -> f32 {
  return load_w((g * params.group_out_channels + col) * params.gemm_depth + t);
}
fn store(g: u32, row: u32, col: u32, value: f32) {
  let plane = params.out_h * params.out_w;
  let n = row / plane;
  let m = g * params.group_out_channels + col;
  out[(n * params.out_channels + m) * plane + row % plane] = value + load_b(m);
}`,
});
