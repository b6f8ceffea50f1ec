import type { KernelDef } from '../../kernel.js';
import { hammingNearestCpu } from './hamming-nearest.cpu.js';
import { hammingNearestOutputs, rowGeometry } from './hamming-nearest.shape.js';
import { hammingNearestWgsl } from './hamming-nearest.wgsl.js';

export { popcount } from './hamming-nearest.cpu.js';

/**
 * Nearest codebook row under the Hamming distance: binary rows x [M, L] and codebook [C, L] of
 * packed 32-bit words (i32) → [M] i32 indices, the lowest on ties (a binary bag of visual words'
 * assignment step).
 */
export const hammingNearest: KernelDef<'x' | 'codebook', 'out', Record<string, never>> = {
  name: 'hamming-nearest',
  description: 'index of the nearest codebook row by Hamming distance (popcount of the XOR), lowest index on ties',
  inputs: { x: ['i32'], codebook: ['i32'] },
  outputs: hammingNearestOutputs,
  cpu: ({ x, codebook }, _attrs, { out }) => hammingNearestCpu(x.data as Int32Array, codebook.data as Int32Array, out as Int32Array, rowGeometry(x.shape, codebook.shape).words),
  wgsl: hammingNearestWgsl,
  // Integer distances and a first-minimum scan on both backends: exact.
  tolerance: 0,
};
