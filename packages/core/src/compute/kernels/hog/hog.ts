import type { KernelDef } from '../../kernel.js';
import { hogCpu } from './hog.cpu.js';
import { hogGeometry, hogOutputs, type HogAttrs } from './hog.shape.js';
import { hogWgsl } from './hog.wgsl.js';

export { HOG_BINNINGS, hogFeatureLength, hogGeometry, hogSettings, type HogAttrs, type HogBinning, type HogGeometry, type HogSettings } from './hog.shape.js';

/**
 * Histograms of oriented gradients (Dalal & Triggs 2005) of grayscale images: [H, W] → [F] or
 * [N, H, W] → [N, F]. Gradients, orientation binning, cells, overlapping blocks and L2-Hys
 * normalization in one launch; feature layout as scikit-image's `hog(..., feature_vector=True)`.
 */
export const hog: KernelDef<'x', 'out', HogAttrs> = {
  name: 'hog',
  description: 'HOG descriptor: centred gradients, unsigned orientation bins, cells, L2-Hys blocks',
  inputs: { x: ['f32', 'u8', 'u16'] },
  outputs: hogOutputs,
  cpu: ({ x }, attrs, { out }) => hogCpu(x.data, out as Float32Array, hogGeometry(x, attrs)),
  wgsl: hogWgsl,
  tolerance: 1e-4,
};
