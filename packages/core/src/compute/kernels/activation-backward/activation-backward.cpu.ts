import type { HostTensors, OutputArrays } from '../../kernel.js';
import { geluDerivative, sigmoidDerivative } from '../activation/activation-functions.js';
import type { ActivationBackwardAttrs } from './activation-backward.shape.js';

export function activationBackwardCpu({ x, dy }: HostTensors<'x' | 'dy'>, { fn }: ActivationBackwardAttrs, { dx }: OutputArrays<'dx'>): void {
  const xs = x.data;
  const g = dy.data;
  // A 0/1 factor instead of a branch: random signs mispredict (3× slower).
  if (fn === 'relu') for (let i = 0; i < dx.length; i++) dx[i] = g[i]! * +(xs[i]! > 0);
  else if (fn === 'sigmoid') for (let i = 0; i < dx.length; i++) dx[i] = sigmoidDerivative(xs[i]!) * g[i]!;
  else for (let i = 0; i < dx.length; i++) dx[i] = geluDerivative(xs[i]!) * g[i]!;
}
