import type { HostTensors, OutputArrays } from '../../kernel.js';
import type { SquaredNormAttrs } from './squared-norm.shape.js';

export function squaredNormCpu({ x, acc }: HostTensors<'x' | 'acc'>, _attrs: SquaredNormAttrs, { out }: OutputArrays<'out'>): void {
  const data = x.data;
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i]! * data[i]!;
  out[0] = acc.data[0]! + sum;
}
