import { implicitGemmWgsl } from '../../kernels-shared/implicit-gemm.wgsl.js';
import { WINDOW_UNIFORMS, WINDOW_WGSL, windowUniformValues } from '../../kernels-shared/window-geometry.js';
import { CONV_GROUP_UNIFORMS, convGroupUniformValues } from '../conv2d/conv2d.shape.js';
import { convBackwardInputGeometry, type Conv2dBackwardInputAttrs } from './conv2d-backward-input.shape.js';

// Per group g: rows are input pixels (n, iy, ix), columns the group's input channels, and the
// summed index t runs over (output channel, ky, kx); taps that fall between strides or outside
// the output read 0.
export const conv2dBackwardInputWgsl = implicitGemmWgsl<'dy' | 'w', 'dx', Conv2dBackwardInputAttrs>({
  dims: ({ dy, w }, attrs) => {
    const g = convBackwardInputGeometry(dy, w, attrs);
    return { groups: g.group, rows: g.batch * g.height * g.width, cols: g.groupChannels, depth: g.groupOutChannels * g.kernelHeight * g.kernelWidth };
  },
  uniforms: { ...WINDOW_UNIFORMS, ...CONV_GROUP_UNIFORMS },
  uniformValues: ({ dy, w }, attrs) => {
    const g = convBackwardInputGeometry(dy, w, attrs);
    return { ...windowUniformValues(g), ...convGroupUniformValues(g) };
  },
  declarations: () => `${WINDOW_WGSL}
fn a_at(g: u32, row: u32, t: u32) -> f32 {
  let plane = params.height * params.width;
  let n = row / plane;
  let iy = (row % plane) / params.width;
  let ix = row % params.width;
  let taps = params.kernel_h * params.kernel_w;
  let m = g * params.group_out_channels + t / taps;
  let oy = output_row(iy, (t % taps) / params.kernel_w);
  let ox = output_col(ix, t % params.kernel_w);
  if (oy < 0 || ox < 0) { return 0.0; }
  return load_dy(((n * params.out_channels + m) * params.out_h + u32(oy)) * params.out_w + u32(ox));
}
fn b_at(g: u32, t: u32, col: u32) -> f32 {
  let taps = params.kernel_h * params.kernel_w;
  let m = g * params.group_out_channels + t / taps;
  return load_w((m * params.group_channels + col) * taps + t % taps);
}
fn store(g: u32, row: u32, col: u32, value: f32) {
  let plane = params.height * params.width;
  let c = g * params.group_channels + col;
  dx[((row / plane) * params.channels + c) * plane + row % plane] = value;
}`,
});
