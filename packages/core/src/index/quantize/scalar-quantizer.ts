/**
 * Per-dimension int8 scalar quantization: x_j ≈ lo_j + step_j · c_j with codes c_j in [0, 255] and
 * each dimension's own range. Per dimension rather than one global range because the vectors the
 * index sees are PCA outputs, whose components' spreads differ by an order of magnitude or more:
 * a global range would leave the trailing components a handful of levels.
 *
 * Ranges follow the data: the first vectors set them exactly; later vectors outside a range widen
 * it (with 10 % slack, so a slow drift does not re-encode every time) and the caller re-encodes.
 */
export class ScalarQuantizer {
  readonly dim: number;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  #trained = false;

  constructor(dim: number) {
    this.dim = dim;
    this.lo = new Float64Array(dim);
    this.hi = new Float64Array(dim);
  }

  get trained(): boolean {
    return this.#trained;
  }

  step(j: number): number {
    const width = this.hi[j]! - this.lo[j]!;
    return width > 0 ? width / 255 : 1;
  }

  /** Widens the ranges to cover `rows` vectors; true when the ranges changed (codes must be re-encoded). */
  cover(vectors: ArrayLike<number>, rows: number): boolean {
    if (rows === 0) return false;
    const dim = this.dim;
    const min = new Float64Array(dim).fill(Infinity);
    const max = new Float64Array(dim).fill(-Infinity);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < dim; j++) {
        const v = vectors[r * dim + j]!;
        if (v < min[j]!) min[j] = v;
        if (v > max[j]!) max[j] = v;
      }
    }
    if (!this.#trained) {
      this.lo.set(min);
      this.hi.set(max);
      this.#trained = true;
      return true;
    }
    let changed = false;
    for (let j = 0; j < dim; j++) {
      const below = min[j]! < this.lo[j]!;
      const above = max[j]! > this.hi[j]!;
      if (!below && !above) continue;
      changed = true;
      const lo = Math.min(this.lo[j]!, min[j]!);
      const hi = Math.max(this.hi[j]!, max[j]!);
      const slack = 0.1 * (hi - lo || Math.abs(hi) || 1);
      this.lo[j] = below ? lo - slack : lo;
      this.hi[j] = above ? hi + slack : hi;
    }
    return changed;
  }

  code(j: number, value: number): number {
    const c = Math.round((value - this.lo[j]!) / this.step(j));
    return c < 0 ? 0 : c > 255 ? 255 : c;
  }

  decode(j: number, code: number): number {
    return this.lo[j]! + this.step(j) * code;
  }

  /** Restores ranges read back from storage. */
  restore(lo: Float64Array, hi: Float64Array): void {
    this.lo.set(lo);
    this.hi.set(hi);
    this.#trained = true;
  }
}
