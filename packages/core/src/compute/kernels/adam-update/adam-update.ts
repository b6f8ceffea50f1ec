import type { KernelDef } from '../../kernel.js';
import { sizeOf } from '../../shape.js';
import { assertScalar, assertSameShapes } from '../sgd-update/sgd-update.js';
import { clipFactor, CLIP_FACTOR_WGSL } from '../squared-norm/clip-factor.js';

export interface AdamUpdateAttrs {
  readonly lr: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /** λ: an L2 term in the gradient (Adam) or, with `decoupled`, θ ← θ·(1 − lr·λ) (AdamW). */
  readonly weightDecay?: number;
  /** true: AdamW's decoupled weight decay; false (default): Adam with L2. */
  readonly decoupled?: boolean;
  /** The 1-based step number, for bias correction. */
  readonly step: number;
  /** Global-norm clipping threshold applied through `squaredNorm` (≤ 0 or omitted: no clipping). */
  readonly maxNorm?: number;
}

function constants({ beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, step }: AdamUpdateAttrs) {
  // 1 − β is passed computed in float64: 1 − f32(0.999) on the GPU would be off by 1.3e-5.
  return { beta1, beta2, one_minus_beta1: 1 - beta1, one_minus_beta2: 1 - beta2, epsilon, correction1: 1 - beta1 ** step, correction2: 1 - beta2 ** step };
}

/**
 * One Adam / AdamW step with bias correction (PyTorch's formulation):
 *   g = c·∇ (+ λ·θ for Adam),  m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,
 *   θ ← θ·(1 − lr·λ) for AdamW,  θ ← θ − lr·(m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε).
 */
export const adamUpdate: KernelDef<'param' | 'grad' | 'm' | 'v' | 'squaredNorm', 'newParam' | 'newM' | 'newV', AdamUpdateAttrs> = {
  name: 'adam-update',
  description: 'Adam/AdamW step with bias correction, gradients clipped by a global norm held on the device',
  inputs: { param: ['f32'], grad: ['f32'], m: ['f32'], v: ['f32'], squaredNorm: ['f32'] },
  outputs: (inputs) => {
    assertSameShapes('adam-update', inputs, ['param', 'grad', 'm', 'v']);
    assertScalar('adam-update', 'squaredNorm', inputs.squaredNorm);
    const spec = { shape: inputs.param.shape, dtype: 'f32' as const };
    return { newParam: spec, newM: spec, newV: spec };
  },
  cpu: ({ param, grad, m, v, squaredNorm }, attrs, { newParam, newM, newV }) => {
    const { lr, weightDecay = 0, decoupled = false, maxNorm = 0 } = attrs;
    const { beta1, beta2, epsilon, correction1, correction2 } = constants(attrs);
    const c = clipFactor(squaredNorm.data[0]!, maxNorm);
    const shrink = decoupled ? 1 - lr * weightDecay : 1;
    const l2 = decoupled ? 0 : weightDecay;
    // Locals, not `param.data[i]`: V8 does not hoist the property loads out of the loop (3× slower).
    const [ps, gs, ms, vs] = [param.data, grad.data, m.data, v.data];
    // The same formula with one division per element: lr/(1−β₁ᵗ) and 1/(1−β₂ᵗ) are taken out of the loop.
    const stepSize = lr / correction1;
    const inverseCorrection2 = 1 / correction2;
    const [oneMinusBeta1, oneMinusBeta2] = [1 - beta1, 1 - beta2];
    for (let i = 0; i < newParam.length; i++) {
      const p = ps[i]!;
      const g = c * gs[i]! + l2 * p;
      const mi = beta1 * ms[i]! + oneMinusBeta1 * g;
      const vi = beta2 * vs[i]! + oneMinusBeta2 * g * g;
      newM[i] = mi;
      newV[i] = vi;
      newParam[i] = p * shrink - (stepSize * mi) / (Math.sqrt(vi * inverseCorrection2) + epsilon);
    }
  },
  wgsl: {
    workgroupSize: [64, 1, 1],
    uniforms: { lr: 'f32', beta1: 'f32', beta2: 'f32', one_minus_beta1: 'f32', one_minus_beta2: 'f32', epsilon: 'f32', correction1: 'f32', correction2: 'f32', shrink: 'f32', l2: 'f32', max_norm: 'f32' },
    uniformValues: (_inputs, attrs) => {
      const { lr, weightDecay = 0, decoupled = false, maxNorm = 0 } = attrs;
      return { lr, ...constants(attrs), shrink: decoupled ? 1 - lr * weightDecay : 1, l2: decoupled ? 0 : weightDecay, max_norm: maxNorm };
    },
    launch: ({ param }) => ({ kind: 'elementwise', invocations: sizeOf(param.shape) }),
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
  },
  tolerance: 1e-5,
};
