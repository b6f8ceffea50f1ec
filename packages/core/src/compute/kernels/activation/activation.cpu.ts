import type { HostTensors, OutputArrays } from '../../kernel.js';
import { gelu, sigmoid } from './activation-functions.js';
import type { ActivationAttrs } from './activation.shape.js';

export function activationCpu({ x }: HostTensors<'x'>, { fn }: ActivationAttrs, { out }: OutputArrays<'out'>): void {
  const data = x.data;
  // (v + |v|) / 2 is max(v, 0) exactly, without a branch: random signs mispredict (3× slower).
  if (fn === 'relu') for (let i = 0; i < out.length; i++) out[i] = (data[i]! + Math.abs(data[i]!)) * 0.5;
  else if (fn === 'sigmoid') for (let i = 0; i < out.length; i++) out[i] = sigmoid(data[i]!);
  else for (let i = 0; i < out.length; i++) out[i] = gelu(data[i]!);
}
