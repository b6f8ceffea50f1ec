import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import type { ScaleAttrs } from './scale.shape.js';

export const scaleWgsl = elementwiseWgsl<'x', 'out', ScaleAttrs>({
  each: 'out',
  uniforms: { alpha: 'f32', beta: 'f32' },
  uniformValues: (_inputs, { alpha, beta = 0 }) => ({ alpha, beta }),
  body: () => '  out[i] = load_x(i) * params.alpha + params.beta;',
});
