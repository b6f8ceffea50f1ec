import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { GELU_WGSL } from './activation-functions.js';
import type { ActivationAttrs } from './activation.shape.js';

export const activationWgsl = elementwiseWgsl<'x', 'out', ActivationAttrs>({
  each: 'out',
  key: ({ fn }) => fn,
  declarations: ({ attrs: { fn } }) => (fn === 'gelu' ? GELU_WGSL : ''),
  body: ({ attrs: { fn } }) => (fn === 'relu' ? '  out[i] = max(load_x(i), 0.0);' : '  out[i] = gelu(load_x(i));'),
});
