import type { KernelDef } from '../../kernel.js';
import { orbOrientationCpu } from './orb-orientation.cpu.js';
import { imageSize, orbOrientationOutputs } from './orb-orientation.shape.js';
import { orbOrientationWgsl } from './orb-orientation.wgsl.js';

export { DIRECTION_BITS, DIRECTION_COUNT, directionAngle, DIRECTIONS, directionsWgsl, ORIENTATION_RADIUS } from './orb-orientation.shape.js';

/**
 * ORB's keypoint orientation (intensity centroid over the disc of radius 15): images [N, H, W] on
 * the 0..255 scale and keypoints [K, 3] i32 (image, x, y) → [K] i32, the index k of the nearest of
 * 256 directions (angle 2π·k/256, y down), which orb-brief rotates its test pattern by.
 */
export const orbOrientation: KernelDef<'image' | 'keypoints', 'out', Record<string, never>> = {
  name: 'orb-orientation',
  description: "ORB keypoint orientation: the intensity centroid's direction over a radius-15 disc, as one of 256 direction indices",
  inputs: { image: ['f32'], keypoints: ['i32'] },
  outputs: orbOrientationOutputs,
  cpu: ({ image, keypoints }, _attrs, { out }) => {
    const { height, width } = imageSize(image.shape);
    orbOrientationCpu(image.data as Float32Array, keypoints.data as Int32Array, out as Int32Array, image.shape[0]!, height, width);
  },
  wgsl: orbOrientationWgsl,
  // Integer moments and integer direction scores on both backends; atan2 only narrows the search
  // to three directions around the nearest: exact.
  tolerance: 0,
};
