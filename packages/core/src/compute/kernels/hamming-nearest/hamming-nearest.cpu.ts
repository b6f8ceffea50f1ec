/** Set bits of a 32-bit word. */
export function popcount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** For each row of x, the index of the codebook row at the least Hamming distance (the lowest index on ties). */
export function hammingNearestCpu(x: Int32Array, codebook: Int32Array, out: Int32Array, words: number): void {
  const codes = codebook.length / words;
  for (let m = 0; m < out.length; m++) {
    const row = m * words;
    let best = 0;
    let bestDistance = Infinity;
    for (let c = 0; c < codes; c++) {
      let d = 0;
      for (let w = 0; w < words; w++) d += popcount(x[row + w]! ^ codebook[c * words + w]!);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    out[m] = best;
  }
}
