import type { HostTensors, OutputArrays } from '../../kernel.js';
import { clipFactor } from '../../kernels-shared/clip-factor.js';
import type { SgdUpdateAttrs, SgdUpdateInputs } from './sgd-update.shape.js';

export function sgdUpdateCpu(
  { param, grad, velocity, squaredNorm }: HostTensors<SgdUpdateInputs>,
  { lr, momentum = 0, weightDecay = 0, maxNorm = 0 }: SgdUpdateAttrs,
  { newParam, newVelocity }: OutputArrays<'newParam' | 'newVelocity'>,
): void {
  const c = clipFactor(squaredNorm.data[0]!, maxNorm);
  const p = param.data;
  const g = grad.data;
  const v = velocity.data;
  for (let i = 0; i < p.length; i++) {
    const step = momentum * v[i]! + c * g[i]! + weightDecay * p[i]!;
    newVelocity[i] = step;
    newParam[i] = p[i]! - lr * step;
  }
}
