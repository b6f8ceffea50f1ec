import { ShapeError } from '../../../errors.js';
import type { KernelDef, Specs } from '../../kernel.js';
import { formatShape, sameShape, sizeOf } from '../../shape.js';
import { clipFactor, CLIP_FACTOR_WGSL } from '../squared-norm/clip-factor.js';

export interface SgdUpdateAttrs {
  readonly lr: number;
  /** Momentum μ in [0, 1) (0: plain SGD). */
  readonly momentum?: number;
  /** L2 penalty λ added to the gradient: g + λ·θ (default 0). */
  readonly weightDecay?: number;
  /** Global-norm clipping threshold applied through `squaredNorm` (≤ 0 or omitted: no clipping). */
  readonly maxNorm?: number;
}

export function assertSameShapes(kernel: string, specs: Specs<string>, names: readonly string[]): void {
  const first = specs[names[0]!]!;
  for (const name of names.slice(1)) {
    if (!sameShape(specs[name]!.shape, first.shape)) {
      throw new ShapeError(`kernel "${kernel}": ${name} ${formatShape(specs[name]!.shape)} must have the shape of ${names[0]} ${formatShape(first.shape)}`);
    }
  }
}

export function assertScalar(kernel: string, name: string, spec: { shape: readonly number[] }): void {
  if (sizeOf(spec.shape) !== 1) throw new ShapeError(`kernel "${kernel}": ${name} ${formatShape(spec.shape)} must hold one value`);
}

/**
 * One SGD step with momentum (PyTorch's form, no dampening), reading the gradient-clipping norm
 * from the device:  g = c·∇ + λ·θ,  v ← μ·v + g,  θ ← θ − lr·v.
 */
export const sgdUpdate: KernelDef<'param' | 'grad' | 'velocity' | 'squaredNorm', 'newParam' | 'newVelocity', SgdUpdateAttrs> = {
  name: 'sgd-update',
  description: 'SGD with momentum and L2 weight decay, gradients clipped by a global norm held on the device',
  inputs: { param: ['f32'], grad: ['f32'], velocity: ['f32'], squaredNorm: ['f32'] },
  outputs: (inputs) => {
    assertSameShapes('sgd-update', inputs, ['param', 'grad', 'velocity']);
    assertScalar('sgd-update', 'squaredNorm', inputs.squaredNorm);
    return { newParam: { shape: inputs.param.shape, dtype: 'f32' }, newVelocity: { shape: inputs.param.shape, dtype: 'f32' } };
  },
  cpu: ({ param, grad, velocity, squaredNorm }, { lr, momentum = 0, weightDecay = 0, maxNorm = 0 }, { newParam, newVelocity }) => {
    const c = clipFactor(squaredNorm.data[0]!, maxNorm);
    const p = param.data;
    const g = grad.data;
    const v = velocity.data;
    for (let i = 0; i < p.length; i++) {
      const step = momentum * v[i]! + c * g[i]! + weightDecay * p[i]!;
      newVelocity[i] = step;
      newParam[i] = p[i]! - lr * step;
    }
  },
  wgsl: {
    workgroupSize: [64, 1, 1],
    uniforms: { lr: 'f32', momentum: 'f32', weight_decay: 'f32', max_norm: 'f32' },
    uniformValues: (_inputs, { lr, momentum = 0, weightDecay = 0, maxNorm = 0 }) => ({ lr, momentum, weight_decay: weightDecay, max_norm: maxNorm }),
    launch: ({ param }) => ({ kind: 'elementwise', invocations: sizeOf(param.shape) }),
    declarations: () => CLIP_FACTOR_WGSL,
    body: () => `
  let c = clip_factor(load_squaredNorm(0u), params.max_norm);
  let p = load_param(i);
  let step = params.momentum * load_velocity(i) + c * load_grad(i) + params.weight_decay * p;
  newVelocity[i] = step;
  newParam[i] = p - params.lr * step;`,
  },
  tolerance: 1e-5,
};
