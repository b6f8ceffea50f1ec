import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { poolBackwardGeometry, WINDOW_UNIFORMS, WINDOW_WGSL, windowUniformValues, type PoolBackwardAttrs } from '../../kernels-shared/window-geometry.js';

// One invocation per input element: it gathers dy from the windows that chose it (no atomics).
export const maxPoolBackwardWgsl = elementwiseWgsl<'dy' | 'indices', 'dx', PoolBackwardAttrs>({
  each: 'dx',
  uniforms: WINDOW_UNIFORMS,
  uniformValues: ({ dy }, attrs) => windowUniformValues(poolBackwardGeometry('max-pool-backward', dy, attrs)),
  declarations: () => WINDOW_WGSL,
  body: () => `
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
      let o = (plane * params.out_h + u32(oy)) * params.out_w + u32(ox);
      if (raw_indices(o) == i32(i)) { sum += load_dy(o); }
    }
  }
  dx[i] = sum;`,
});
