import { ShapeError } from '../../../errors.js';

/**
 * The dropout mask is a pure function of (seed, element index): an integer hash that WGSL and
 * JavaScript compute bit for bit alike, so the GPU and CPU drop the same elements and the
 * backward pass regenerates the forward's mask from the seed instead of storing it.
 */

/** A 32-bit integer hash with good avalanche (Chris Wellons' "lowbias32"). */
export function hash32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/** Elements whose hash is below this are dropped: P(drop) = p. */
export function dropThreshold(p: number): number {
  if (!(p >= 0 && p < 1)) throw new ShapeError(`kernel "dropout": p = ${p} must be in [0, 1)`);
  return Math.min(0xffffffff, Math.round(p * 2 ** 32));
}

/** Whether element `index` survives dropout with probability `p` under `seed`. */
export function dropoutKeeps(seed: number, index: number, p: number): boolean {
  return hash32((index ^ hash32(seed)) >>> 0) >= dropThreshold(p);
}

export const HASH32_WGSL = `
fn hash32(value: u32) -> u32 {
  var x = value;
  x ^= x >> 16u;
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  x ^= x >> 16u;
  return x;
}`;
