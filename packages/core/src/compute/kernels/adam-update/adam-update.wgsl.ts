import { CLIP_FACTOR_WGSL } from '../../kernels-shared/clip-factor.js';
import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { adamConstants, type AdamUpdateAttrs, type AdamUpdateInputs, type AdamUpdateOutputs } from './adam-update.shape.js';

export const adamUpdateWgsl = elementwiseWgsl<AdamUpdateInputs, AdamUpdateOutputs, AdamUpdateAttrs>({
  each: 'newParam',
  uniforms: { lr: 'f32', beta1: 'f32', beta2: 'f32', one_minus_beta1: 'f32', one_minus_beta2: 'f32', epsilon: 'f32', correction1: 'f32', correction2: 'f32', shrink: 'f32', l2: 'f32', max_norm: 'f32' },
  uniformValues: (_inputs, attrs) => {
    const { lr, weightDecay = 0, decoupled = false, maxNorm = 0 } = attrs;
    return { lr, ...adamConstants(attrs), shrink: decoupled ? 1 - lr * weightDecay : 1, l2: decoupled ? 0 : weightDecay, max_norm: maxNorm };
  },
  declarations: () => CLIP_FACTOR_WGSL,
  body: () => `
  let c = clip_factor(load_squaredNorm(0u), params.max_norm);
  let p = load_param(i);
  let g = c * load_grad(i) + params.l2 * p;
  let mi = params.beta1 * load_m(i) + params.one_minus_beta1 * g;
  let vi = params.beta2 * load_v(i) + params.one_minus_beta2 * g * g;
  newM[i] = mi;
  newV[i] = vi;
  newParam[i] = p * params.shrink - params.lr * (mi / params.correction1) / (sqrt(vi / params.correction2) + params.epsilon);`,
});
