import type { KernelDef } from '../../kernel.js';
import { siftDescriptorCpu } from './sift-descriptor.cpu.js';
import { levelSize, siftDescriptorOutputs } from './sift-descriptor.shape.js';
import { siftDescriptorWgsl } from './sift-descriptor.wgsl.js';

export { DESCRIPTOR_LENGTH, KEYPOINT_FIELDS } from './sift-descriptor.shape.js';

/**
 * SIFT descriptors of keypoints on one Gaussian level of a batch: level [N, H, W] and keypoints
 * [K, 5] (image, x, y, orientation in degrees with y up, scale) → [K, 128] on OpenCV's 0..512 scale
 * before rounding to 8 bits.
 */
export const siftDescriptor: KernelDef<'level' | 'keypoints', 'out', Record<string, never>> = {
  name: 'sift-descriptor',
  description: "Lowe's 4×4×8 gradient-histogram descriptor per keypoint (OpenCV's layout), before 8-bit rounding",
  inputs: { level: ['f32'], keypoints: ['f32'] },
  outputs: siftDescriptorOutputs,
  cpu: ({ level, keypoints }, _attrs, { out }) => {
    const { height, width } = levelSize(level.shape);
    siftDescriptorCpu(level.data, keypoints.data, out as Float32Array, height, width);
  },
  wgsl: siftDescriptorWgsl,
  // Sums of a few thousand weighted samples, f32 on the GPU, f64 in the reference, with the GPU's
  // own atan2/exp/cos: worst seen 3.2e-5 of the value on lavapipe (40 seeds, values up to ~250),
  // but 3.5e-3 on Chromium's SwiftShader, whose atan2 moves samples between orientation bins:
  // just under one 8-bit rounding step of the largest values (1/250), which 5e-3 admits.
  tolerance: 5e-3,
};
