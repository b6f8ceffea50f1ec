/** The equal-weight average of two models' probabilities (rows × classes, same class order): each row still sums to 1. */
export function averageProbabilities(first: Float32Array, second: Float32Array): Float32Array {
  return first.map((p, i) => (p + second[i]!) / 2);
}
