/**
 * The private-array length of a GPU invocation that keeps a row's best k: the smallest power of two
 * ≥ k (at least 8), so one compiled pipeline serves a bucket of k, not each k.
 */
export function topKCapacity(k: number): number {
  return Math.max(8, 2 ** Math.ceil(Math.log2(k)));
}
