import { CLIP_FACTOR_WGSL } from '../../kernels-shared/clip-factor.js';
import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import type { SgdUpdateAttrs, SgdUpdateInputs } from './sgd-update.shape.js';

export const sgdUpdateWgsl = elementwiseWgsl<SgdUpdateInputs, 'newParam' | 'newVelocity', SgdUpdateAttrs>({
  each: 'newParam',
  uniforms: { lr: 'f32', momentum: 'f32', weight_decay: 'f32', max_norm: 'f32' },
  uniformValues: (_inputs, { lr, momentum = 0, weightDecay = 0, maxNorm = 0 }) => ({ lr, momentum, weight_decay: weightDecay, max_norm: maxNorm }),
  declarations: () => CLIP_FACTOR_WGSL,
  body: () => `
  let c = clip_factor(load_squaredNorm(0u), params.max_norm);
  let p = load_param(i);
  let step = params.momentum * load_velocity(i) + c * load_grad(i) + params.weight_decay * p;
  newVelocity[i] = step;
  newParam[i] = p - params.lr * step;`,
});
