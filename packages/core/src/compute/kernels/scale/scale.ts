import type { KernelDef } from '../../kernel.js';
import { sizeOf } from '../../shape.js';

export interface ScaleAttrs {
  /** Multiplier. */
  readonly alpha: number;
  /** Added after the multiplication (default 0). */
  readonly beta?: number;
}

/** `out = x · alpha + beta`, from any dtype to f32 (e.g. 8-bit pixels to [0, 1] with alpha = 1/255). */
export const scale: KernelDef<'x', 'out', ScaleAttrs> = {
  name: 'scale',
  description: 'out = x * alpha + beta, any input dtype to f32',
  inputs: { x: ['f32', 'i32', 'u8', 'u16', 'i16'] },
  outputs: ({ x }) => ({ out: { shape: x.shape, dtype: 'f32' } }),
  cpu: ({ x }, { alpha, beta = 0 }, { out }) => {
    const a = Math.fround(alpha);
    const b = Math.fround(beta);
    for (let i = 0; i < out.length; i++) out[i] = Math.fround(x.data[i]! * a) + b;
  },
  wgsl: {
    workgroupSize: [64, 1, 1],
    uniforms: { alpha: 'f32', beta: 'f32' },
    uniformValues: (_inputs, { alpha, beta = 0 }) => ({ alpha, beta }),
    launch: ({ x }) => ({ kind: 'elementwise', invocations: sizeOf(x.shape) }),
    body: () => '  out[i] = load_x(i) * params.alpha + params.beta;',
  },
  tolerance: 1e-6,
};
