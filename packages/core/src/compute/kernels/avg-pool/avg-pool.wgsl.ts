import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { poolGeometry, WINDOW_UNIFORMS, WINDOW_WGSL, windowUniformValues } from '../../kernels-shared/window-geometry.js';
import { AVG_POOL_DIVISOR_WGSL, type AvgPoolAttrs } from './avg-pool.shape.js';

export const avgPoolWgsl = elementwiseWgsl<'x', 'out', AvgPoolAttrs>({
  each: 'out',
  key: ({ countIncludePad = false }) => `include_pad=${countIncludePad}`,
  uniforms: WINDOW_UNIFORMS,
  uniformValues: ({ x }, attrs) => windowUniformValues(poolGeometry('avg-pool', x, attrs)),
  declarations: () => WINDOW_WGSL + AVG_POOL_DIVISOR_WGSL,
  body: ({ attrs: { countIncludePad = false } }) => `
  let plane = i / (params.out_h * params.out_w);
  let oy = (i / params.out_w) % params.out_h;
  let ox = i % params.out_w;
  var sum = 0.0;
  for (var ky = 0u; ky < params.kernel_h; ky++) {
    for (var kx = 0u; kx < params.kernel_w; kx++) {
      let iy = input_row(oy, ky);
      let ix = input_col(ox, kx);
      if (inside(iy, ix)) { sum += load_x((plane * params.height + u32(iy)) * params.width + u32(ix)); }
    }
  }
  let divisor = avg_pool_divisor(oy, ox, ${countIncludePad});
  out[i] = select(0.0, sum / divisor, divisor > 0.0);`,
});
