import type { CoordinateTransform } from '../resize-bilinear/resize-bilinear.js';

const f32 = Math.fround;

/** The float32 scale ONNX Runtime derives from `sizes`: static_cast<float>(out) / static_cast<float>(in). */
function axisScale(inSize: number, outSize: number): number {
  return f32(f32(outSize) / f32(inSize));
}

/**
 * The input coordinate of output index `o` along one axis, as ONNX Runtime's CPU Resize computes
 * it: in float32, from the float32 `axisScale`, with the lambdas of upsamplebase.h's
 * `GetOriginalCoordinateFromResizedCoordinate` (quoted per case). Each Math.fround is one float32
 * operation there: a float64 op on float32 operands, rounded once to float32, gives exactly the
 * float32 op's result.
 */
function originalCoordinateF32(mode: CoordinateTransform, o: number, inSize: number, outSize: number): number {
  // The int64 index and lengths become floats first (static_cast<float>): exact below 2^24.
  const [x, lengthOriginal, lengthResized] = [f32(o), f32(inSize), f32(outSize)];
  const scale = axisScale(inSize, outSize);
  switch (mode) {
    case 'half_pixel': // ((x_resized + 0.5f) / x_scale) - 0.5f
      return f32(f32(f32(x + 0.5) / scale) - 0.5);
    case 'pytorch_half_pixel': // length_resized > 1 ? (x_resized + 0.5f) / x_scale - 0.5f : 0.0f
      return lengthResized > 1 ? f32(f32(f32(x + 0.5) / scale) - 0.5) : 0;
    case 'align_corners': // length_resized == 1 ? 0 : x_resized * (length_original - 1) / (length_resized - 1)
      return lengthResized === 1 ? 0 : f32(f32(x * f32(lengthOriginal - 1)) / f32(lengthResized - 1));
    case 'asymmetric': // x_resized / x_scale
      return f32(x / scale);
  }
}

/**
 * How close to a midpoint counts as one. ONNX Runtime 1.30's CPU kernel treats a float32
 * coordinate within about 1e-6 of k + 0.5 as the tie (so float32 noise of an exact midpoint still
 * rounds down), the fractional tie check ORT adopted after microsoft/onnxruntime#28291 (its WebGPU
 * port, #28757, spells it `<= 1e-6`). The older source's exact test
 * `x_original == static_cast<int64_t>(x_original) + 0.5f` disagrees with 1.30 on 75 of the
 * size pairs 1..64 → 1..64 (over half_pixel, pytorch_half_pixel and asymmetric); this one agrees
 * on all of them (image/resize-nearest.test.ts sweeps 1..48).
 */
const TIE_EPSILON = 1e-6;

/**
 * round_prefer_floor on ONNX Runtime's float32 coordinate: a midpoint (within TIE_EPSILON) goes
 * down, anything else is std::round (halves away from zero). Coordinates here are ≥ −0.5 and the
 * result is clamped to [0, size − 1], so negative values never matter.
 */
function roundPreferFloor(x: number): number {
  const floor = Math.floor(x);
  if (Math.abs(x - floor - 0.5) <= TIE_EPSILON) return floor;
  return Math.sign(x) * Math.round(Math.abs(x));
}

/**
 * The input index each output index copies along one axis: ONNX Resize mode=nearest,
 * nearest_mode=round_prefer_floor (its default), exactly as ONNX Runtime's CPU kernel picks it
 * (upsample.cc, `UpsampleNearestSetupInputMappings`): an axis whose scale is 1 maps onto itself;
 * otherwise the float32 coordinate is rounded, then clamped to [0, size − 1]. A float64
 * coordinate with an exact tie test picks the other neighbour where float64 noise lands just off a
 * midpoint (e.g. 14 → 17 half_pixel, 7 → 34 asymmetric); a float32 one with an exact test, where
 * float32 noise does (e.g. 14 → 19 half_pixel, 7 → 38 asymmetric).
 *
 * These tables are computed on the host for the CPU gather and the resize-nearest kernel alike:
 * WGSL's f32 division is not correctly rounded (2.5 ulp), so the shader could not reproduce the
 * float32 coordinate, and with it the source pixel, at every size.
 */
export function nearestIndices(mode: CoordinateTransform, inSize: number, outSize: number): Int32Array {
  const indices = new Int32Array(outSize);
  if (axisScale(inSize, outSize) === 1) {
    for (let o = 0; o < outSize; o++) indices[o] = o;
    return indices;
  }
  for (let o = 0; o < outSize; o++) {
    const nearest = roundPreferFloor(originalCoordinateF32(mode, o, inSize, outSize));
    indices[o] = Math.min(Math.max(nearest, 0), inSize - 1);
  }
  return indices;
}
