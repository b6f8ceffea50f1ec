import type { KernelDef } from '../../kernel.js';
import { gaussianBlurCpu } from './gaussian-blur.cpu.js';
import { gaussianBlurOutputs, imageSize, type GaussianBlurAttrs } from './gaussian-blur.shape.js';
import { gaussianBlurWgsl } from './gaussian-blur.wgsl.js';

export { gaussianRadius, type GaussianBlurAttrs } from './gaussian-blur.shape.js';

/**
 * One axis of a separable Gaussian blur of grayscale images, [H, W] or [N, H, W] → f32 of the same
 * shape, with OpenCV's kernel size and border (SIFT's scale space is two passes per level).
 */
export const gaussianBlur: KernelDef<'x', 'out', GaussianBlurAttrs> = {
  name: 'gaussian-blur',
  description: 'one axis of a separable Gaussian blur (OpenCV kernel size round(8σ+1)|1, REFLECT_101 border)',
  inputs: { x: ['f32', 'u8'] },
  outputs: gaussianBlurOutputs,
  cpu: ({ x }, attrs, { out }) => {
    const { height, width } = imageSize(x.shape);
    gaussianBlurCpu(x.data, attrs, out as Float32Array, height, width);
  },
  wgsl: gaussianBlurWgsl,
  // The shader sums its taps and weights in f32, the reference in f64: worst seen 5.2e-7
  // (40 seeds, σ 0.5–3.5, values 0..255); 2e-6 leaves room for other drivers.
  tolerance: 2e-6,
};
