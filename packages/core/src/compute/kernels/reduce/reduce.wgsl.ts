import { ALONG_AXIS_BASE } from '../../kernels-shared/along-axis.wgsl.js';
import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { divisorOf, reduceGeometry, type ReduceAttrs } from './reduce.shape.js';

// One invocation per output: a (outer, inner) pair of x viewed around the reduced axis.
export const reduceWgsl = elementwiseWgsl<'x', 'out', ReduceAttrs>({
  each: 'out',
  key: ({ op }) => op,
  uniforms: { size: 'u32', inner: 'u32', divisor: 'f32' },
  uniformValues: ({ x }, attrs) => {
    const { size, inner } = reduceGeometry(x, attrs);
    return { size, inner, divisor: divisorOf(attrs, size) };
  },
  body: ({ attrs: { op } }) => `
  ${ALONG_AXIS_BASE}
  var sum = 0.0;
  for (var j = 0u; j < params.size; j++) { sum += load_x(base + j * params.inner); }
  ${
    op === 'variance'
      ? `let mean = sum / f32(params.size);
  var squares = 0.0;
  for (var j = 0u; j < params.size; j++) {
    let d = load_x(base + j * params.inner) - mean;
    squares = fma(d, d, squares);
  }
  out[i] = squares / params.divisor;`
      : op === 'mean'
        ? 'out[i] = sum / params.divisor;'
        : 'out[i] = sum;'
  }`,
});
