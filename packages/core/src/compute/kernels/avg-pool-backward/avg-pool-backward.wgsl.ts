import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { poolBackwardGeometry, WINDOW_UNIFORMS, WINDOW_WGSL, windowUniformValues } from '../../kernels-shared/window-geometry.js';
import { AVG_POOL_DIVISOR_WGSL } from '../avg-pool/avg-pool.shape.js';
import type { AvgPoolBackwardAttrs } from './avg-pool-backward.shape.js';

// One invocation per input element, gathering from the windows that read it.
export const avgPoolBackwardWgsl = elementwiseWgsl<'dy', 'dx', AvgPoolBackwardAttrs>({
  each: 'dx',
  key: ({ countIncludePad = false }) => `include_pad=${countIncludePad}`,
  uniforms: WINDOW_UNIFORMS,
  uniformValues: ({ dy }, attrs) => windowUniformValues(poolBackwardGeometry('avg-pool-backward', dy, attrs)),
  declarations: () => WINDOW_WGSL + AVG_POOL_DIVISOR_WGSL,
  body: ({ attrs: { countIncludePad = false } }) => `
  let plane = i / (params.height * params.width);
  let iy = (i / params.width) % params.height;
  let ix = i % params.width;
  var sum = 0.0;
  for (var ky = 0u; ky < params.kernel_h; ky++) {
    let oy = output_row(iy, ky);
    if (oy < 0) { continue; }
    for (var kx = 0u; kx < params.kernel_w; kx++) {
      let ox = output_col(ix, kx);
      if (ox < 0) { continue; }
      sum += load_dy((plane * params.out_h + u32(oy)) * params.out_w + u32(ox)) / avg_pool_divisor(u32(oy), u32(ox), ${countIncludePad});
    }
  }
  dx[i] = sum;`,
});
