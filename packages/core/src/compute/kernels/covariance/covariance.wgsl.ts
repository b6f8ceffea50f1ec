import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { covarianceDims, type CovarianceAttrs } from './covariance.shape.js';

// One invocation per entry; entry (a, b) and (b, a) compute the same sums in the same order,
// so the result is exactly symmetric.
export const covarianceWgsl = elementwiseWgsl<'x', 'out', CovarianceAttrs>({
  each: 'out',
  uniforms: { n: 'u32', d: 'u32', divisor: 'f32' },
  uniformValues: ({ x }, attrs) => covarianceDims(x, attrs),
  body: () => `
  let a = min(i / params.d, i % params.d);
  let b = max(i / params.d, i % params.d);
  var sa = 0.0;
  var sb = 0.0;
  for (var r = 0u; r < params.n; r++) {
    sa += load_x(r * params.d + a);
    sb += load_x(r * params.d + b);
  }
  let ma = sa / f32(params.n);
  let mb = sb / f32(params.n);
  var sum = 0.0;
  for (var r = 0u; r < params.n; r++) {
    sum = fma(load_x(r * params.d + a) - ma, load_x(r * params.d + b) - mb, sum);
  }
  out[i] = sum / params.divisor;`,
});
