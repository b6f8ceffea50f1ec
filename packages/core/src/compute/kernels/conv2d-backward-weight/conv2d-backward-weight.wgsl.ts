import { implicitGemmWgsl } from '../../kernels-shared/implicit-gemm.wgsl.js';
import { WINDOW_UNIFORMS, WINDOW_WGSL, windowUniformValues } from '../../kernels-shared/window-geometry.js';
import { CONV_GROUP_UNIFORMS, convGroupUniformValues } from '../conv2d/conv2d.shape.js';
import { convBackwardWeightGeometry, type Conv2dBackwardWeightAttrs } from './conv2d-backward-weight.shape.js';

// Per group g: rows are the group's output channels, columns the weight taps (c, ky, kx), and the
// summed index t runs over every output pixel (n, oy, ox) of the batch.
export const conv2dBackwardWeightWgsl = implicitGemmWgsl<'x' | 'dy', 'dw', Conv2dBackwardWeightAttrs>({
  dims: ({ x, dy }, attrs) => {
    const g = convBackwardWeightGeometry(x, dy, attrs);
    return { groups: g.group, rows: g.groupOutChannels, cols: g.groupChannels * g.kernelHeight * g.kernelWidth, depth: g.batch * g.outHeight * g.outWidth };
  },
  uniforms: { ...WINDOW_UNIFORMS, ...CONV_GROUP_UNIFORMS },
  uniformValues: ({ x, dy }, attrs) => {
    const g = convBackwardWeightGeometry(x, dy, attrs);
    return { ...windowUniformValues(g), ...convGroupUniformValues(g) };
  },
  declarations: () => `${WINDOW_WGSL}
fn a_at(g: u32, row: u32, t: u32) -> f32 {
  let plane = params.out_h * params.out_w;
  let m = g * params.group_out_channels + row;
  return load_dy(((t / plane) * params.out_channels + m) * plane + t % plane);
}
fn b_at(g: u32, t: u32, col: u32) -> f32 {
  let plane = params.out_h * params.out_w;
  let n = t / plane;
  let oy = (t % plane) / params.out_w;
  let ox = t % params.out_w;
  let taps = params.kernel_h * params.kernel_w;
  let c = g * params.group_channels + col / taps;
  let iy = input_row(oy, (col % taps) / params.kernel_w);
  let ix = input_col(ox, col % params.kernel_w);
  if (!inside(iy, ix)) { return 0.0; }
  return load_x(((n * params.channels + c) * params.height + u32(iy)) * params.width + u32(ix));
}
fn store(g: u32, row: u32, col: u32, value: f32) {
  dw[(g * params.group_out_channels + row) * params.gemm_cols + col] = value;
}`,
});
