import type { Rng } from '../compute/random.js';

/**
 * k-means++ seeding of `centres` centres over `rows` rows, whatever the row type: the first centre
 * is a uniformly drawn row, each next one a row drawn with probability ∝ squared distance to the
 * nearest centre chosen so far. `place(row, centre)` copies a row into the caller's codebook;
 * `squaredDistance(row, centre)` measures against a placed centre. Stops early once every row sits
 * on a chosen centre (the centres not placed stay as the caller made them).
 */
export function kmeansPlusPlus(rows: number, centres: number, rng: Rng, place: (row: number, centre: number) => void, squaredDistance: (row: number, centre: number) => number): void {
  if (rows === 0) return;
  const nearest = new Float64Array(rows).fill(Infinity);
  let pick = rng.int(0, rows - 1);
  for (let c = 0; c < Math.min(centres, rows); c++) {
    place(pick, c);
    let total = 0;
    for (let i = 0; i < rows; i++) {
      nearest[i] = Math.min(nearest[i]!, squaredDistance(i, c));
      total += nearest[i]!;
    }
    if (total === 0) break;
    let r = rng.next() * total;
    pick = rows - 1;
    for (let i = 0; i < rows; i++) {
      r -= nearest[i]!;
      if (r < 0) {
        pick = i;
        break;
      }
    }
  }
}
