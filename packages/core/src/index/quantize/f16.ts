import { decodeF16Bits } from '../simd/reference-kernels.js';

/** Largest magnitude the f16 index accepts: above it, rounding to f16 gives infinity. */
export const F16_MAX_INPUT = 65519;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * f16 bits of a number (rounded through f32, then to nearest-even), with magnitudes below the
 * smallest normal f16 (2⁻¹⁴ ≈ 6.1e-5) stored as zero — the SIMD decoder reads normal numbers only.
 */
export function encodeF16(value: number): number {
  f32[0] = value;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  let exponent = ((bits >>> 23) & 0xff) - 112;
  if (exponent <= 0) return sign;
  let mantissa = (bits & 0x7fffff) >>> 13;
  const rest = bits & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (mantissa & 1) === 1)) {
    mantissa++;
    if (mantissa === 0x400) {
      mantissa = 0;
      exponent++;
    }
  }
  if (exponent >= 31) return sign | 0x7bff; // callers reject |value| > F16_MAX_INPUT first
  return sign | (exponent << 10) | mantissa;
}

export function decodeF16(h: number): number {
  u32[0] = decodeF16Bits(h);
  return f32[0]!;
}
