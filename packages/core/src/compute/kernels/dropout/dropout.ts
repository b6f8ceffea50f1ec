import type { KernelDef } from '../../kernel.js';
import { sizeOf } from '../../shape.js';
import { dropThreshold, hash32, HASH32_WGSL } from './dropout-mask.js';

export { dropoutKeeps, hash32 } from './dropout-mask.js';

export interface DropoutAttrs {
  /** Probability of dropping an element, in [0, 1). */
  readonly p: number;
  /** Mask seed (a 32-bit unsigned integer); the same seed gives the same mask on every backend. */
  readonly seed: number;
}

/**
 * Inverted dropout: out = x / (1 − p) where the seeded mask keeps the element, 0 elsewhere.
 * Its own backward: applied to dy with the same seed and p it gives dx.
 */
export const dropout: KernelDef<'x', 'out', DropoutAttrs> = {
  name: 'dropout',
  description: 'inverted dropout with a seeded, index-hashed mask (also its own backward)',
  inputs: { x: ['f32'] },
  outputs: ({ x }, { p }) => {
    dropThreshold(p);
    return { out: { shape: x.shape, dtype: 'f32' } };
  },
  cpu: ({ x }, { p, seed }, { out }) => {
    const threshold = dropThreshold(p);
    const keyed = hash32(seed);
    const gain = Math.fround(1 / (1 - p));
    const data = x.data;
    for (let i = 0; i < out.length; i++) out[i] = hash32((i ^ keyed) >>> 0) >= threshold ? data[i]! * gain : 0;
  },
  wgsl: {
    workgroupSize: [64, 1, 1],
    uniforms: { threshold: 'u32', key: 'u32', gain: 'f32' },
    uniformValues: (_inputs, { p, seed }) => ({ threshold: dropThreshold(p), key: hash32(seed), gain: 1 / (1 - p) }),
    launch: ({ x }) => ({ kind: 'elementwise', invocations: sizeOf(x.shape) }),
    declarations: () => HASH32_WGSL,
    body: () => '  out[i] = select(0.0, load_x(i) * params.gain, hash32(i ^ params.key) >= params.threshold);',
  },
  tolerance: 1e-6,
};
