import type { KernelDef } from '../../kernel.js';
import { resizeNearestCpu } from './resize-nearest.cpu.js';
import { resizeNearestDims, resizeNearestOutputs } from './resize-nearest.shape.js';
import { resizeNearestWgsl } from './resize-nearest.wgsl.js';

/**
 * Nearest-neighbour resize of the last two axes on the Device: output pixel (r, c) of every plane
 * copies input pixel (rows[r], cols[c]). The index tables are inputs, made on the host by
 * `nearestIndices` (ONNX Resize mode=nearest as ONNX Runtime picks the pixels), so the CPU and the
 * GPU copy the same pixels as `resizeNearest` of image/ does on host tensors. Any pixel dtype in,
 * f32 out (values unchanged: every input dtype it takes is exact in f32).
 *
 * Named `resizeNearestKernel` because `resizeNearest` is the host gather of image/, which keeps
 * the dtype (label masks) and serves host images.
 */
export const resizeNearestKernel: KernelDef<'x' | 'rows' | 'cols', 'out', Record<string, never>> = {
  name: 'resize-nearest',
  description: 'nearest resize of the last two axes [..., H, W] → [..., rows, cols] by source index tables (ONNX Resize nearest)',
  inputs: { x: ['f32', 'u8', 'u16', 'i16'], rows: ['i32'], cols: ['i32'] },
  outputs: resizeNearestOutputs,
  cpu: ({ x, rows, cols }, _attrs, { out }) => resizeNearestCpu(x, rows.data as Int32Array, cols.data as Int32Array, out as Float32Array, resizeNearestDims({ x, rows, cols })),
  wgsl: resizeNearestWgsl,
  // A copy: the same pixels on every backend.
  tolerance: 0,
};
