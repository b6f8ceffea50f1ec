import type { KernelDef } from '../../kernel.js';
import { orbFastScoreCpu } from './orb-fast-score.cpu.js';
import { imageSize, orbFastScoreOutputs } from './orb-fast-score.shape.js';
import { orbFastScoreWgsl } from './orb-fast-score.wgsl.js';

export { FAST_ARC, FAST_CIRCLE } from './orb-fast-score.shape.js';

/** FAST-9 corner scores of grayscale images, [H, W] or [N, H, W] → f32 of the same shape (ORB's detector). */
export const orbFastScore: KernelDef<'x', 'out', Record<string, never>> = {
  name: 'orb-fast-score',
  description: 'FAST-9 corner score per pixel: the largest threshold with 9 contiguous brighter or darker circle pixels',
  inputs: { x: ['f32', 'u8'] },
  outputs: orbFastScoreOutputs,
  cpu: ({ x }, _attrs, { out }) => {
    const { height, width } = imageSize(x.shape);
    orbFastScoreCpu(x.data, out as Float32Array, height, width);
  },
  wgsl: orbFastScoreWgsl,
  // Differences rounded to f32 once on both backends, then only min and max: exact.
  tolerance: 0,
};
