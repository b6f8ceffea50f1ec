import type { TypedArray } from '../../dtype.js';

/** The reference: a's values, then b's. */
export function concatRowsCpu(a: TypedArray, b: TypedArray, out: TypedArray): void {
  out.set(a, 0);
  out.set(b, a.length);
}
