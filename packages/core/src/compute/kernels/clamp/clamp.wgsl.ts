import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { finiteBound, type ClampAttrs } from './clamp.shape.js';

export const clampWgsl = elementwiseWgsl<'x', 'out', ClampAttrs>({
  each: 'out',
  uniforms: { lo: 'f32', hi: 'f32' },
  uniformValues: (_inputs, { min, max }) => ({ lo: finiteBound(min), hi: finiteBound(max) }),
  body: () => '  out[i] = min(max(load_x(i), params.lo), params.hi);',
});
