import type { KernelDef } from '../../kernel.js';
import { flatTopKInt8Cpu } from './flat-top-k-int8.cpu.js';
import { flatTopKInt8Dims, flatTopKInt8Outputs, type FlatTopKInt8Attrs, type FlatTopKInt8Inputs } from './flat-top-k-int8.shape.js';
import { flatTopKInt8Wgsl } from './flat-top-k-int8.wgsl.js';

export { MAX_FLAT_TOP_K_INT8, int8RowCodes, type FlatTopKInt8Attrs } from './flat-top-k-int8.shape.js';

/**
 * Int8 flat search on the GPU in one pass, scoring as the CPU int8 scan does: u8 base codes [n, d
 * rounded up to 4] (4 codes per u32 word, a quarter of the f32 bytes) times i16 query codes [m, d]
 * summed exactly in i32, then key = sum · scale[query] + bias[base]. Each workgroup walks the whole
 * base for its 8 queries and keeps their k largest keys (ties: lower index); [m, 1, k] keys and
 * indices are written — [m, slices, k] when the base is split into `slices` (more workgroups for
 * few queries; top-k-merge reduces the slices).
 */
export const flatTopKInt8: KernelDef<FlatTopKInt8Inputs, 'values' | 'indices', FlatTopKInt8Attrs> = {
  name: 'flat-top-k-int8',
  description: 'fused int8 flat search: u8 codes × i16 query codes in i32, scaled plus bias, the k largest keys per query in one pass',
  inputs: { queryCodes: ['i16'], scales: ['f32'], codes: ['u8'], bias: ['f32'], mask: ['u8'] },
  outputs: flatTopKInt8Outputs,
  cpu: (inputs, attrs, { values, indices }) =>
    flatTopKInt8Cpu(
      inputs.queryCodes.data,
      inputs.scales.data,
      inputs.codes.data,
      inputs.bias.data,
      inputs.mask.data,
      values as Float32Array,
      indices as Int32Array,
      flatTopKInt8Dims(inputs, attrs),
      attrs.k,
    ),
  wgsl: flatTopKInt8Wgsl,
  // The sums are exact integers; the scale and bias are one f32 multiply and add each, which a
  // driver may fuse into one fma (a last-bit difference): 1e-6 covers it. The cases use
  // power-of-two scales and bias in the same steps, where both roundings are exact.
  tolerance: 1e-6,
};
