import type { HostTensors, OutputArrays } from '../../kernel.js';
import type { ScaleAttrs } from './scale.shape.js';

/** alpha and beta rounded to f32 first, as the GPU holds them in its uniforms. */
export function scaleCpu({ x }: HostTensors<'x'>, { alpha, beta = 0 }: ScaleAttrs, { out }: OutputArrays<'out'>): void {
  const a = Math.fround(alpha);
  const b = Math.fround(beta);
  for (let i = 0; i < out.length; i++) out[i] = Math.fround(x.data[i]! * a) + b;
}
