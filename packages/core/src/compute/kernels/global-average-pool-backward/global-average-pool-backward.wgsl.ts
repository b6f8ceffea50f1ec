import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { sizeOf } from '../../shape.js';
import type { GlobalAveragePoolBackwardAttrs } from './global-average-pool-backward.shape.js';

export const globalAveragePoolBackwardWgsl = elementwiseWgsl<'dy', 'dx', GlobalAveragePoolBackwardAttrs>({
  each: 'dx',
  uniforms: { plane_size: 'u32' },
  uniformValues: (_inputs, { inputSize }) => ({ plane_size: sizeOf(inputSize) }),
  body: () => '  dx[i] = load_dy(i / params.plane_size) / f32(params.plane_size);',
});
