import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import type { AugmentImagesAttrs } from './augment-images.shape.js';
import { AUGMENT_PLAN_FIELDS, MIX_KIND, PLAN } from './augment-plan.js';
import { NOISE_NORMAL_WGSL } from './gaussian-noise.js';

/** One invocation per output element: the same inverse map, taps and noise as the CPU reference. */
export const augmentImagesWgsl = elementwiseWgsl<'images' | 'plan', 'out', AugmentImagesAttrs>({
  each: 'out',
  uniforms: { images_n: 'u32', channels: 'u32', height: 'u32', width: 'u32', cx: 'f32', cy: 'f32' },
  uniformValues: ({ images }) => {
    const [n, channels, height, width] = images.shape as [number, number, number, number];
    return { images_n: n, channels, height, width, cx: (width - 1) / 2, cy: (height - 1) / 2 };
  },
  declarations: () => `${NOISE_NORMAL_WGSL}

fn pixel(img: i32, c: u32, x: i32, y: i32) -> f32 {
  if (img < 0 || u32(img) >= params.images_n || x < 0 || y < 0 || u32(x) >= params.width || u32(y) >= params.height) { return 0.0; }
  return load_images(((u32(img) * params.channels + c) * params.height + u32(y)) * params.width + u32(x));
}

fn plan_at(copy: u32, field: u32) -> f32 { return load_plan(copy * ${AUGMENT_PLAN_FIELDS}u + field); }`,
  body: () => `
  let plane = params.height * params.width;
  let per_copy = params.channels * plane;
  let copy_i = i / per_copy;
  let elem = i % per_copy;
  let c = elem / plane;
  let y = (elem % plane) / params.width;
  let x = elem % params.width;
  let src_img = i32(plan_at(copy_i, ${PLAN.source}u));
  let cos_t = plan_at(copy_i, ${PLAN.cos}u);
  let sin_t = plan_at(copy_i, ${PLAN.sin}u);
  let ox = f32(x) - plan_at(copy_i, ${PLAN.shiftX}u) - params.cx;
  let oy = f32(y) - plan_at(copy_i, ${PLAN.shiftY}u) - params.cy;
  var sx = params.cx + cos_t * ox - sin_t * oy;
  var sy = params.cy + sin_t * ox + cos_t * oy;
  if (plan_at(copy_i, ${PLAN.flipH}u) != 0.0) { sx = f32(params.width - 1u) - sx; }
  if (plan_at(copy_i, ${PLAN.flipV}u) != 0.0) { sy = f32(params.height - 1u) - sy; }
  let x0 = floor(sx);
  let y0 = floor(sy);
  let fx = sx - x0;
  let fy = sy - y0;
  let ix = i32(x0);
  let iy = i32(y0);
  let top = pixel(src_img, c, ix, iy) * (1.0 - fx) + pixel(src_img, c, ix + 1, iy) * fx;
  let bottom = pixel(src_img, c, ix, iy + 1) * (1.0 - fx) + pixel(src_img, c, ix + 1, iy + 1) * fx;
  var v = top * (1.0 - fy) + bottom * fy;
  let mix_kind = u32(plan_at(copy_i, ${PLAN.mixKind}u));
  let partner = i32(plan_at(copy_i, ${PLAN.partner}u));
  if (mix_kind == ${MIX_KIND.mixup}u) {
    let lam = plan_at(copy_i, ${PLAN.lambda}u);
    v = lam * v + (1.0 - lam) * pixel(partner, c, i32(x), i32(y));
  } else if (mix_kind == ${MIX_KIND.cutmix}u) {
    let fxp = f32(x);
    let fyp = f32(y);
    if (fxp >= plan_at(copy_i, ${PLAN.boxX0}u) && fxp < plan_at(copy_i, ${PLAN.boxX1}u) && fyp >= plan_at(copy_i, ${PLAN.boxY0}u) && fyp < plan_at(copy_i, ${PLAN.boxY1}u)) {
      v = pixel(partner, c, i32(x), i32(y));
    }
  }
  let noise_sd = plan_at(copy_i, ${PLAN.noiseStd}u);
  if (noise_sd != 0.0) { v += noise_sd * noise_normal(hash32(u32(plan_at(copy_i, ${PLAN.noiseSeed}u))), elem); }
  out[i] = v;`,
});
