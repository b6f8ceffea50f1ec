import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { GELU_WGSL } from '../activation/activation-functions.js';
import type { ActivationBackwardAttrs } from './activation-backward.shape.js';

export const activationBackwardWgsl = elementwiseWgsl<'x' | 'dy', 'dx', ActivationBackwardAttrs>({
  each: 'dx',
  key: ({ fn }) => fn,
  declarations: ({ attrs: { fn } }) => (fn === 'gelu' ? GELU_WGSL : ''),
  body: ({ attrs: { fn } }) =>
    fn === 'relu' ? '  dx[i] = select(0.0, load_dy(i), load_x(i) > 0.0);' : '  dx[i] = gelu_derivative(load_x(i)) * load_dy(i);',
});
