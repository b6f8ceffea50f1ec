import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { poolGeometry, WINDOW_UNIFORMS, WINDOW_WGSL, windowUniformValues, type PoolAttrs } from '../../kernels-shared/window-geometry.js';

// One invocation per output, scanning its window in the CPU reference's order.
export const maxPoolWgsl = elementwiseWgsl<'x', 'out' | 'indices', PoolAttrs>({
  each: 'out',
  uniforms: WINDOW_UNIFORMS,
  uniformValues: ({ x }, attrs) => windowUniformValues(poolGeometry('max-pool', x, attrs)),
  declarations: () => WINDOW_WGSL,
  body: () => `
  let plane = i / (params.out_h * params.out_w);
  let oy = (i / params.out_w) % params.out_h;
  let ox = i % params.out_w;
  var best = 0.0;
  var found = -1;
  for (var ky = 0u; ky < params.kernel_h; ky++) {
    for (var kx = 0u; kx < params.kernel_w; kx++) {
      let iy = input_row(oy, ky);
      let ix = input_col(ox, kx);
      if (!inside(iy, ix)) { continue; }
      let at = i32((plane * params.height + u32(iy)) * params.width + u32(ix));
      let v = load_x(u32(at));
      if (found < 0 || v > best) {
        best = v;
        found = at;
      }
    }
  }
  out[i] = best;
  indices[i] = found;`,
});
