import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { planesOf } from './global-average-pool.shape.js';

// One invocation per plane: the spatial sizes that reach GAP (7×7 in a ResNet) keep its loop short.
export const globalAveragePoolWgsl = elementwiseWgsl<'x', 'out', Record<string, never>>({
  each: 'out',
  uniforms: { plane_size: 'u32' },
  uniformValues: ({ x }) => ({ plane_size: planesOf('global-average-pool', x.shape).planeSize }),
  body: () => `
  var sum = 0.0;
  for (var j = 0u; j < params.plane_size; j++) { sum += load_x(i * params.plane_size + j); }
  out[i] = sum / f32(params.plane_size);`,
});
