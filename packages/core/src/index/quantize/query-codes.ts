import type { ScalarQuantizer } from './scalar-quantizer.js';

/**
 * The int8 scans' query: a_j = q_j · step_j scaled to i16 so that no sum of `codes.length` products
 * of a u8 code and an i16 can overflow int32. Writes the codes (zero past the quantizer's dim) and
 * returns the scale that turns the integer sum back into q · (x̂ − lo).
 */
export function quantizeQuery(query: ArrayLike<number>, quantizer: ScalarQuantizer, codes: Int16Array): number {
  const dim = quantizer.dim;
  const limit = Math.min(32767, Math.floor((2 ** 31 - 1) / (255 * codes.length)));
  const a = new Float64Array(dim);
  let maxAbs = 0;
  for (let j = 0; j < dim; j++) {
    a[j] = query[j]! * quantizer.step(j);
    maxAbs = Math.max(maxAbs, Math.abs(a[j]!));
  }
  const toCode = maxAbs > 0 ? limit / maxAbs : 0;
  for (let j = 0; j < codes.length; j++) codes[j] = j < dim ? Math.round(a[j]! * toCode) : 0;
  return maxAbs > 0 ? maxAbs / limit : 0;
}
