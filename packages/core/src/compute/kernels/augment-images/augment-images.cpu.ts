import { hash32 } from '../dropout/dropout-mask.js';
import { AUGMENT_PLAN_FIELDS, MIX_KIND, PLAN } from './augment-plan.js';
import type { AugmentDims } from './augment-images.shape.js';
import { noiseNormal } from './gaussian-noise.js';

/** The reference: plain loops, float64 arithmetic on the f32 inputs, one rounding per output. */
export function augmentImagesCpu(images: Float32Array, plan: Float32Array, dims: AugmentDims, out: Float32Array): void {
  const { channels, height, width, copies } = dims;
  const plane = height * width;
  // Pixel (x, y) of channel c of image `img`; anything outside the image (or a missing image) is 0.
  const pixel = (img: number, c: number, x: number, y: number): number =>
    img < 0 || img >= dims.images || x < 0 || y < 0 || x >= width || y >= height ? 0 : images[((img * channels + c) * height + y) * width + x]!;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  for (let k = 0; k < copies; k++) {
    const p = plan.subarray(k * AUGMENT_PLAN_FIELDS, (k + 1) * AUGMENT_PLAN_FIELDS);
    const source = Math.trunc(p[PLAN.source]!); // integer fields convert as the shader's i32()
    const [cos, sin] = [p[PLAN.cos]!, p[PLAN.sin]!];
    const [dx, dy] = [p[PLAN.shiftX]!, p[PLAN.shiftY]!];
    const std = p[PLAN.noiseStd]!;
    const key = hash32(p[PLAN.noiseSeed]!);
    const kind = Math.trunc(p[PLAN.mixKind]!);
    const partner = Math.trunc(p[PLAN.partner]!);
    const lambda = p[PLAN.lambda]!;
    for (let c = 0; c < channels; c++) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          // Inverse map: shift the output point back, rotate it back about the centre, then mirror
          // (out = translate(rotate(flip(source))), as torchvision's affine composes them).
          const ox = x - dx - cx;
          const oy = y - dy - cy;
          let sx = cx + cos * ox - sin * oy;
          let sy = cy + sin * ox + cos * oy;
          if (p[PLAN.flipH] !== 0) sx = width - 1 - sx;
          if (p[PLAN.flipV] !== 0) sy = height - 1 - sy;
          const x0 = Math.floor(sx);
          const y0 = Math.floor(sy);
          const fx = sx - x0;
          const fy = sy - y0;
          const top = pixel(source, c, x0, y0) * (1 - fx) + pixel(source, c, x0 + 1, y0) * fx;
          const bottom = pixel(source, c, x0, y0 + 1) * (1 - fx) + pixel(source, c, x0 + 1, y0 + 1) * fx;
          let v = top * (1 - fy) + bottom * fy;
          if (kind === MIX_KIND.mixup) v = lambda * v + (1 - lambda) * pixel(partner, c, x, y);
          else if (kind === MIX_KIND.cutmix && x >= p[PLAN.boxX0]! && x < p[PLAN.boxX1]! && y >= p[PLAN.boxY0]! && y < p[PLAN.boxY1]!) v = pixel(partner, c, x, y);
          const index = (c * height + y) * width + x;
          if (std !== 0) v += std * noiseNormal(key, index);
          out[k * channels * plane + index] = v;
        }
      }
    }
  }
}
