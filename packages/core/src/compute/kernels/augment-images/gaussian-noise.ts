import { hash32, HASH32_WGSL } from '../dropout/dropout-mask.js';

/**
 * Counter-based Gaussian noise: the value at (seed, element index) is a pure function of the two,
 * computed by the same integer hash on the CPU and in WGSL (dropout's), so both backends draw the
 * same noise without a random stream. Marsaglia's polar method turns two hashed integers into a
 * normal deviate; the accept test is exact integer arithmetic (never a float comparison that an
 * FMA could flip), and only the final sqrt/log differ by f32 rounding.
 */

/** Tries of the polar method before giving up (each accepts with π/4: 16 all fail with p ≈ 2e-11); the give-up value is 0. */
export const NOISE_ATTEMPTS = 16;

/** Odd integers in [−32767, 32767]: the polar method's point, on a 2¹⁵ grid per axis. */
const RADIUS_SQ = 2 ** 30;

/** A standard normal deviate for element `index` of the noise keyed by `key` (= hash32(seed)). */
export function noiseNormal(key: number, index: number): number {
  const base = hash32((index ^ key) >>> 0);
  for (let k = 0; k < NOISE_ATTEMPTS; k++) {
    const h = hash32((base + Math.imul(k, 0x9e3779b9)) >>> 0);
    const a = 2 * (h >>> 17) - 32767;
    const b = 2 * ((h >>> 1) & 0x7fff) - 32767;
    const s = a * a + b * b; // odd a, b: s ≥ 2, so log(s) is finite
    if (s < RADIUS_SQ) {
      const r = Math.fround(s) / RADIUS_SQ; // as the shader's f32(s)
      return (a / 32768) * Math.sqrt((-2 * Math.log(r)) / r);
    }
  }
  return 0;
}

export const NOISE_NORMAL_WGSL = `${HASH32_WGSL}

fn noise_normal(key: u32, index: u32) -> f32 {
  let base = hash32(index ^ key);
  for (var k = 0u; k < ${NOISE_ATTEMPTS}u; k++) {
    let h = hash32(base + k * 0x9e3779b9u);
    let a = i32(h >> 17u) * 2 - 32767;
    let b = i32((h >> 1u) & 0x7fffu) * 2 - 32767;
    let s = a * a + b * b;
    if (s < ${RADIUS_SQ}) {
      let r = f32(s) / ${RADIUS_SQ}.0;
      return f32(a) / 32768.0 * sqrt(-2.0 * log(r) / r);
    }
  }
  return 0.0;
}`;
