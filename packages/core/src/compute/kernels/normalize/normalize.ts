import type { KernelDef } from '../../kernel.js';
import { normalizeCpu } from './normalize.cpu.js';
import { normalizeOutputs, type NormalizeAttrs } from './normalize.shape.js';
import { normalizeWgsl } from './normalize.wgsl.js';

export type { NormalizeAttrs } from './normalize.shape.js';

/**
 * Per-channel standardization out = (x·scale − mean[c]) / std[c], any pixel dtype in, f32 out
 * (e.g. ImageNet statistics on 8-bit RGB with scale 1/255).
 */
export const normalize: KernelDef<'x', 'out', NormalizeAttrs> = {
  name: 'normalize',
  description: 'out = (x * scale - mean[c]) / std[c] per channel (up to 4), any input dtype to f32',
  inputs: { x: ['f32', 'i32', 'u8', 'u16', 'i16'] },
  outputs: normalizeOutputs,
  cpu: normalizeCpu,
  wgsl: normalizeWgsl,
  // A few roundings of 2⁻²⁴ relative to the output, whatever the mean, std or scale
  // (worst seen 2.1e-7 over 50 seeds).
  tolerance: 5e-7,
};
