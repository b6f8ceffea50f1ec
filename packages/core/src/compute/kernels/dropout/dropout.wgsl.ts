import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { dropThreshold, hash32, HASH32_WGSL } from './dropout-mask.js';
import type { DropoutAttrs } from './dropout.shape.js';

export const dropoutWgsl = elementwiseWgsl<'x', 'out', DropoutAttrs>({
  each: 'out',
  uniforms: { threshold: 'u32', key: 'u32', gain: 'f32' },
  uniformValues: (_inputs, { p, seed }) => ({ threshold: dropThreshold(p), key: hash32(seed), gain: 1 / (1 - p) }),
  declarations: () => HASH32_WGSL,
  body: () => '  out[i] = select(0.0, load_x(i) * params.gain, hash32(i ^ params.key) >= params.threshold);',
});
