import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { DIRECTION_BITS, DIRECTION_COUNT, directionsWgsl } from '../orb-orientation/orb-orientation.shape.js';
import { imageSize, KEYPOINT_FIELDS, TEST_FIELDS } from './orb-brief.shape.js';

type Inputs = 'image' | 'keypoints' | 'directions' | 'pattern';

// One invocation per descriptor word (32 tests of one keypoint), with the CPU reference's integer
// rotation and clamping; comparisons of the same f32 pixels, so the bits are exact.
export const orbBriefWgsl = elementwiseWgsl<Inputs, 'out', Record<string, never>>({
  each: 'out',
  uniforms: { images: 'u32', height: 'u32', width: 'u32', words: 'u32' },
  uniformValues: ({ image, pattern }) => ({ ...imageSize(image.shape), words: pattern.shape[0]! / 32 }),
  declarations: () => `${directionsWgsl()}

fn rotated_pixel(base: i32, x: i32, y: i32, c: i32, s: i32, px: i32, py: i32) -> f32 {
  let H = i32(params.height);
  let W = i32(params.width);
  let u = clamp(x + ((px * c - py * s + ${1 << (DIRECTION_BITS - 1)}) >> ${DIRECTION_BITS}u), 0, W - 1);
  let v = clamp(y + ((px * s + py * c + ${1 << (DIRECTION_BITS - 1)}) >> ${DIRECTION_BITS}u), 0, H - 1);
  return load_image(u32(base + v * W + u));
}`,
  body: () => `
  let k = i / params.words;
  let w = i % params.words;
  let n = clamp(raw_keypoints(k * ${KEYPOINT_FIELDS}u), 0, i32(params.images) - 1);
  let x = raw_keypoints(k * ${KEYPOINT_FIELDS}u + 1u);
  let y = raw_keypoints(k * ${KEYPOINT_FIELDS}u + 2u);
  let d = raw_directions(k) & ${DIRECTION_COUNT - 1};
  let c = DIRECTION_COS[d];
  let s = DIRECTION_SIN[d];
  let base = n * i32(params.height) * i32(params.width);
  var bits = 0u;
  for (var b = 0u; b < 32u; b++) {
    let t = (w * 32u + b) * ${TEST_FIELDS}u;
    let first = rotated_pixel(base, x, y, c, s, raw_pattern(t), raw_pattern(t + 1u));
    let second = rotated_pixel(base, x, y, c, s, raw_pattern(t + 2u), raw_pattern(t + 3u));
    if (first < second) { bits |= 1u << b; }
  }
  out[i] = bitcast<i32>(bits);`,
});
