import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { GELU_WGSL, SIGMOID_WGSL } from './activation-functions.js';
import type { ActivationAttrs } from './activation.shape.js';

export const activationWgsl = elementwiseWgsl<'x', 'out', ActivationAttrs>({
  each: 'out',
  key: ({ fn }) => fn,
  declarations: ({ attrs: { fn } }) => (fn === 'gelu' ? GELU_WGSL : fn === 'sigmoid' ? SIGMOID_WGSL : ''),
  body: ({ attrs: { fn } }) => `  out[i] = ${fn === 'relu' ? 'max(load_x(i), 0.0)' : `${fn}(load_x(i))`};`,
});
