/**
 * The two middle values of `values` (the same value twice for an odd count), by selection in O(n)
 * rather than a sort: the pooled pairwise distances of an MMD test number ~3 million. numpy's
 * median is their mean; any monotone transform (a square root) can be applied to both first.
 * `values` is reordered.
 */
export function middleValuesInPlace(values: Float64Array): readonly [number, number] {
  const n = values.length;
  if (n === 0) return [Number.NaN, Number.NaN];
  const upper = n >> 1;
  select(values, upper);
  if (n % 2 === 1) return [values[upper]!, values[upper]!];
  // After selecting `upper`, everything before it is ≤ it: the lower middle is their maximum.
  let lower = values[0]!;
  for (let i = 1; i < upper; i++) if (values[i]! > lower) lower = values[i]!;
  return [lower, values[upper]!];
}

/** Moves the k-th smallest value to index k, smaller ones before it, larger after (Hoare partitioning, median-of-three pivot). */
function select(a: Float64Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
