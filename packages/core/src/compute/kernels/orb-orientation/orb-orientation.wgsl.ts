import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { DIRECTION_COUNT, directionsWgsl, DISC_SPAN, imageSize, INTENSITY_STEPS, KEYPOINT_FIELDS, MAX_INTENSITY, MOMENT_BITS, ORIENTATION_RADIUS } from './orb-orientation.shape.js';

// One invocation per keypoint: integer moments over its disc, then the nearest direction, with the
// CPU reference's integer steps (see orb-orientation.cpu.ts), so the index is exact.
export const orbOrientationWgsl = elementwiseWgsl<'image' | 'keypoints', 'out', Record<string, never>>({
  each: 'out',
  uniforms: { images: 'u32', height: 'u32', width: 'u32' },
  uniformValues: ({ image }) => ({ images: image.shape[0]!, ...imageSize(image.shape) }),
  declarations: () => `${directionsWgsl()}
const DISC_SPAN = array<i32, ${DISC_SPAN.length}>(${DISC_SPAN.join(', ')});

fn nearest_direction(mx: i32, my: i32) -> i32 {
  if (mx == 0 && my == 0) { return 0; }
  let size = u32(max(abs(mx), abs(my)));
  let shift = u32(max(0, i32(firstLeadingBit(size)) + 1 - ${MOMENT_BITS}));
  let x = mx >> shift;
  let y = my >> shift;
  let estimate = i32(floor(atan2(f32(y), f32(x)) * ${(DIRECTION_COUNT / (2 * Math.PI)).toFixed(9)} + 0.5));
  var best = -1;
  var best_score = 0;
  for (var k = estimate - 1; k <= estimate + 1; k++) {
    let j = k & ${DIRECTION_COUNT - 1};
    let score = x * DIRECTION_COS[j] + y * DIRECTION_SIN[j];
    if (best < 0 || score > best_score || (score == best_score && j < best)) {
      best = j;
      best_score = score;
    }
  }
  return best;
}`,
  body: () => `
  let H = i32(params.height);
  let W = i32(params.width);
  let n = clamp(raw_keypoints(i * ${KEYPOINT_FIELDS}u), 0, i32(params.images) - 1);
  let x = raw_keypoints(i * ${KEYPOINT_FIELDS}u + 1u);
  let y = raw_keypoints(i * ${KEYPOINT_FIELDS}u + 2u);
  let base = n * H * W;
  var mx = 0;
  var my = 0;
  for (var dy = -${ORIENTATION_RADIUS}; dy <= ${ORIENTATION_RADIUS}; dy++) {
    let span = DISC_SPAN[dy + ${ORIENTATION_RADIUS}];
    let row = base + clamp(y + dy, 0, H - 1) * W;
    for (var dx = -span; dx <= span; dx++) {
      let v = load_image(u32(row + clamp(x + dx, 0, W - 1)));
      let q = i32(clamp(v, 0.0, ${MAX_INTENSITY}.0) * ${INTENSITY_STEPS}.0);
      mx += dx * q;
      my += dy * q;
    }
  }
  out[i] = nearest_direction(mx, my);`,
});
