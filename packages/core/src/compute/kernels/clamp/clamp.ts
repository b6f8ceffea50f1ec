import { ShapeError } from '../../../errors.js';
import type { KernelDef } from '../../kernel.js';
import { sizeOf } from '../../shape.js';

export interface ClampAttrs {
  /** Lower bound; -Infinity for none. ReLU is { min: 0, max: Infinity }. */
  readonly min: number;
  readonly max: number;
}

const F32_MAX = 3.4028234663852886e38;

/** WGSL may assume no infinities at run time, so open bounds are passed as the largest finite f32. */
function finite(value: number): number {
  return Math.max(-F32_MAX, Math.min(F32_MAX, value));
}

export const clamp: KernelDef<'x', 'out', ClampAttrs> = {
  name: 'clamp',
  description: 'out = min(max(x, min), max), element-wise',
  inputs: { x: ['f32'] },
  outputs: ({ x }, { min, max }) => {
    if (!(min <= max)) throw new ShapeError(`kernel "clamp": min ${min} must not exceed max ${max}`);
    return { out: { shape: x.shape, dtype: 'f32' } };
  },
  cpu: ({ x }, { min, max }, { out }) => {
    const lo = Math.fround(finite(min));
    const hi = Math.fround(finite(max));
    for (let i = 0; i < out.length; i++) out[i] = Math.min(Math.max(x.data[i]!, lo), hi);
  },
  wgsl: {
    workgroupSize: [64, 1, 1],
    uniforms: { lo: 'f32', hi: 'f32' },
    uniformValues: (_inputs, { min, max }) => ({ lo: finite(min), hi: finite(max) }),
    launch: ({ x }) => ({ kind: 'elementwise', invocations: sizeOf(x.shape) }),
    body: () => '  out[i] = min(max(load_x(i), params.lo), params.hi);',
  },
  tolerance: 0,
};
