import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { GELU_WGSL, SIGMOID_WGSL } from '../activation/activation-functions.js';
import type { ActivationBackwardAttrs } from './activation-backward.shape.js';

export const activationBackwardWgsl = elementwiseWgsl<'x' | 'dy', 'dx', ActivationBackwardAttrs>({
  each: 'dx',
  key: ({ fn }) => fn,
  declarations: ({ attrs: { fn } }) => (fn === 'gelu' ? GELU_WGSL : fn === 'sigmoid' ? SIGMOID_WGSL : ''),
  body: ({ attrs: { fn } }) =>
    fn === 'relu'
      ? '  dx[i] = select(0.0, load_dy(i), load_x(i) > 0.0);'
      : fn === 'sigmoid'
        ? '  let s = sigmoid(load_x(i));\n  dx[i] = s * (1.0 - s) * load_dy(i);'
        : '  dx[i] = gelu_derivative(load_x(i)) * load_dy(i);',
});
