import type { LinearMemory } from '../../compute/wasm/linear-memory.js';

/**
 * The bounded scans' tail norms: ‖x_tail‖ past each bound stage, rounded up past their f32 rounding
 * so a Cauchy–Schwarz bound stays a bound in f32; and the running energies that decide whether
 * bounding is worth it (the tail past the last stage holding at most half the energy).
 */

/** Rounds a non-negative float64 up past its f32 rounding, so a bound stays a bound in f32. */
export function upperF32(value: number): number {
  return Math.fround(value * (1 + 2 ** -20));
}

/** Writes a stored vector's tail norms past each stage into the `tails{s}` regions at `slot`. */
export function writeTails(memory: LinearMemory, stages: readonly number[], slot: number, stored: ArrayLike<number>, dim: number): void {
  stages.forEach((prefix, s) => {
    let tail = 0;
    for (let j = prefix; j < dim; j++) tail += stored[j]! * stored[j]!;
    memory.f32(`tails${s}`)[slot] = upperF32(Math.sqrt(tail));
  });
}

/** The prepared queries' tail norms past each stage, [query][stage], into 'queryTails'. */
export function writeQueryTails(memory: LinearMemory, stages: readonly number[], m: number, dim: number): void {
  memory.reserve('queryTails', m * Math.max(1, stages.length) * 4);
  const queries = memory.f32('queries', m * dim);
  const tails = memory.f32('queryTails', m * stages.length);
  for (let q = 0; q < m; q++) {
    stages.forEach((prefix, s) => {
      let tail = 0;
      for (let j = prefix; j < dim; j++) tail += queries[q * dim + j]! ** 2;
      tails[q * stages.length + s] = upperF32(Math.sqrt(tail));
    });
  }
}

/** Sums of ‖x_tail‖² (past the last stage) and ‖x‖² over the stored vectors. */
export class EnergyTally {
  #tail = 0;
  #all = 0;

  /** Adds (sign 1) or removes (sign −1) a vector's energies. */
  account(vector: ArrayLike<number>, dim: number, stages: readonly number[], sign: 1 | -1): void {
    const prefix = stages[stages.length - 1] ?? dim;
    let tail = 0;
    let sum = 0;
    for (let j = 0; j < dim; j++) {
      const v = vector[j]!;
      sum += v * v;
      if (j >= prefix) tail += v * v;
    }
    this.#tail = Math.max(0, this.#tail + sign * tail);
    this.#all = Math.max(0, this.#all + sign * sum);
  }

  /** Whether the tail carries at most half the energy (then the bounded scan prunes most panels). */
  get tailLight(): boolean {
    return this.#tail <= 0.5 * this.#all;
  }
}
