import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { gaussianRadius, imageSize, type GaussianBlurAttrs } from './gaussian-blur.shape.js';

// One invocation per pixel: the taps along the axis (step 1 along x, `width` along y), their
// weights computed in place, reflected at the edges as the CPU reference does.
export const gaussianBlurWgsl = elementwiseWgsl<'x', 'out', GaussianBlurAttrs>({
  each: 'out',
  uniforms: { height: 'u32', width: 'u32', radius: 'i32', sigma: 'f32', along_y: 'u32' },
  uniformValues: ({ x }, { sigma, axis }) => ({ ...imageSize(x.shape), radius: gaussianRadius(sigma), sigma, along_y: axis === 'y' ? 1 : 0 }),
  declarations: () => `
fn reflect101(p0: i32, n: i32) -> i32 {
  if (n == 1) { return 0; }
  var p = p0;
  loop {
    if (p >= 0 && p < n) { break; }
    p = select(2 * n - 2 - p, -p, p < 0);
  }
  return p;
}`,
  body: () => `
  let plane = params.height * params.width;
  let base = (i / plane) * plane;
  let y = i32((i % plane) / params.width);
  let x = i32(i % params.width);
  let alongY = params.along_y != 0u;
  var sum = 0.0;
  var total = 0.0;
  for (var k = -params.radius; k <= params.radius; k++) {
    let w = exp(-0.5 * f32(k * k) / (params.sigma * params.sigma));
    total += w;
    var at: i32;
    if (alongY) {
      at = reflect101(y + k, i32(params.height)) * i32(params.width) + x;
    } else {
      at = y * i32(params.width) + reflect101(x + k, i32(params.width));
    }
    sum += w * load_x(base + u32(at));
  }
  out[i] = sum / total;`,
});
