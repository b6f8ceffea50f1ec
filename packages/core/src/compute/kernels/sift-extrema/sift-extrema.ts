import type { KernelDef } from '../../kernel.js';
import { siftExtremaCpu } from './sift-extrema.cpu.js';
import { imageSize, siftExtremaOutputs, type SiftExtremaAttrs } from './sift-extrema.shape.js';
import { siftExtremaWgsl } from './sift-extrema.wgsl.js';

export type { SiftExtremaAttrs } from './sift-extrema.shape.js';

/**
 * SIFT's keypoint candidates: extrema of a DoG level against its 26 neighbours in space and the
 * levels below and above, [H, W] or [N, H, W] each → 1 (maximum), −1 (minimum) or 0 per pixel.
 */
export const siftExtrema: KernelDef<'below' | 'centre' | 'above', 'out', SiftExtremaAttrs> = {
  name: 'sift-extrema',
  description: 'DoG scale-space extrema over the 3×3×3 neighbourhood above a contrast threshold (1 max, −1 min, 0)',
  inputs: { below: ['f32'], centre: ['f32'], above: ['f32'] },
  outputs: siftExtremaOutputs,
  cpu: ({ below, centre, above }, attrs, { out }) => {
    const { height, width } = imageSize(centre.shape);
    siftExtremaCpu(below.data, centre.data, above.data, attrs, out as Float32Array, height, width);
  },
  wgsl: siftExtremaWgsl,
  // Comparisons of the same f32 values: exact.
  tolerance: 0,
};
