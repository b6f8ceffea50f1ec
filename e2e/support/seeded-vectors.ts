/** `n` rows of `dim` values in [−0.5, 0.5) from a seeded linear congruential generator: the same in any page. */
export function seededVectors(seed: number, n: number, dim: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n * dim }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}
