import type { KernelDef } from '../../kernel.js';
import { orbBriefCpu } from './orb-brief.cpu.js';
import { imageSize, orbBriefOutputs } from './orb-brief.shape.js';
import { orbBriefWgsl } from './orb-brief.wgsl.js';

/**
 * ORB's steered BRIEF: smoothed images [N, H, W], keypoints [K, 3] i32 (image, x, y), their
 * direction indices [K] i32 (orb-orientation's) and a test pattern [T, 4] i32 → [K, T/32] i32
 * words of packed bits, bit t set when the first point of test t, rotated by the keypoint's
 * direction, is darker than the second.
 */
export const orbBrief: KernelDef<'image' | 'keypoints' | 'directions' | 'pattern', 'out', Record<string, never>> = {
  name: 'orb-brief',
  description: 'steered BRIEF: binary intensity tests of a pattern rotated by each keypoint direction, packed into 32-bit words',
  inputs: { image: ['f32'], keypoints: ['i32'], directions: ['i32'], pattern: ['i32'] },
  outputs: orbBriefOutputs,
  cpu: ({ image, keypoints, directions, pattern }, _attrs, { out }) => {
    const { images, height, width } = imageSize(image.shape);
    orbBriefCpu(image.data as Float32Array, keypoints.data as Int32Array, directions.data as Int32Array, pattern.data as Int32Array, out as Int32Array, images, height, width);
  },
  wgsl: orbBriefWgsl,
  // Integer rotation and comparisons of the same f32 pixels on both backends: exact.
  tolerance: 0,
};
