import type { KernelCases } from '../../kernel.js';
import type { Rng } from '../../random.js';
import { hog, type HogAttrs } from './hog.js';

/** An image of `rows`×`cols` with value f(r, c), row-major. */
function image(rows: number, cols: number, f: (r: number, c: number) => number): number[] {
  return Array.from({ length: rows * cols }, (_, i) => f(Math.floor(i / cols), i % cols));
}

/** L2-Hys written out for the expected values: normalize, clip at 0.2, normalize (ε = 1e-5). */
function l2Hys(values: number[]): number[] {
  const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) + 1e-10);
  const clipped = values.map((x) => Math.min(x / norm(values), 0.2));
  return clipped.map((x) => x / norm(clipped));
}

const SINGLE_CELL: HogAttrs = { cellSize: [4, 4], blockSize: [1, 1], binning: 'nearest' };

export const hogCases: KernelCases<HogAttrs> = {
  kernel: hog,
  cases: [
    {
      // x = c: g_col = 2 on columns 1–2 of every row (the border columns have none) → 8 votes of
      // 2 at 0°, averaged over the 16 pixels → [1, 0, 0, 0]; L2-Hys keeps a lone bin at 1.
      name: 'horizontal ramp, nearest bin',
      inputs: { x: { shape: [4, 4], dtype: 'f32', data: image(4, 4, (_r, c) => c) } },
      attrs: { ...SINGLE_CELL, orientations: 4 },
      expected: { out: [1, 0, 0, 0] },
    },
    {
      // 0° lies halfway between the centres of bin 3 (157.5°) and bin 0 (22.5°): half to each.
      name: 'horizontal ramp, linear interpolation across the 0°/180° wrap',
      inputs: { x: { shape: [4, 4], dtype: 'f32', data: image(4, 4, (_r, c) => c) } },
      attrs: { ...SINGLE_CELL, orientations: 4, binning: 'linear' },
      expected: { out: [Math.SQRT1_2, 0, 0, Math.SQRT1_2] },
    },
    {
      // x = r + c: the 4 inner pixels vote 2√2 at 45° (bin 0 of 3), border rows 2 at 0° (bin 0),
      // border columns 2 at 90° (bin 1) → [8 + 8√2, 8, 0] / 16; both bins clip at 0.2 → [√½, √½, 0].
      name: 'diagonal ramp: L2-Hys clips at 0.2 and renormalizes',
      inputs: { x: { shape: [4, 4], dtype: 'f32', data: image(4, 4, (r, c) => r + c) } },
      attrs: { ...SINGLE_CELL, orientations: 3 },
      expected: { out: [Math.SQRT1_2, Math.SQRT1_2, 0] },
    },
    {
      // x = r on the left half, 0 on the right; one block of two cells side by side.
      // Left cell: columns 0–2 × rows 1–2 vote 2 at 90° (bin 1) = 12; column 3 has (g_row, g_col)
      // = (2, −1) at 116.6° (bin 1, √5), (2, −2) at 135° (bin 2, 2√2), (0, −3) → 0° (bin 0, 3).
      // Right cell: column 4 has (0, −1), (0, −2), (0, −3) → 0° (bin 0) = 6.
      name: 'block of two cells: layout [cell row, cell column, orientation] and one normalization',
      inputs: { x: { shape: [4, 8], dtype: 'f32', data: image(4, 8, (r, c) => (c < 4 ? r : 0)) } },
      attrs: { cellSize: [4, 4], blockSize: [1, 2], orientations: 3, binning: 'nearest' },
      expected: { out: l2Hys([3, 12 + Math.sqrt(5), 2 * Math.SQRT2, 6, 0, 0].map((v) => v / 16)) },
    },
    {
      // Image 1, x = r: 90° (bin 1) in both cells. Image 2, a step down from 2 to 0 between
      // columns 3 and 4: (0, −2) folds to 0° (bin 0), one column of 4 pixels in each cell.
      name: 'batch of 8-bit images, two blocks across',
      inputs: {
        x: { shape: [2, 4, 8], dtype: 'u8', data: [...image(4, 8, (r) => r), ...image(4, 8, (_r, c) => (c < 4 ? 2 : 0))] },
      },
      attrs: { cellSize: [4, 4], blockSize: [1, 1], orientations: 3, binning: 'nearest' },
      expected: { out: [0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0] },
    },
    {
      // √(c²) = c: the horizontal ramp again.
      name: 'square-root transform before the gradients',
      inputs: { x: { shape: [4, 4], dtype: 'f32', data: image(4, 4, (_r, c) => c * c) } },
      attrs: { ...SINGLE_CELL, orientations: 4, transformSqrt: true },
      expected: { out: [1, 0, 0, 0] },
    },
    {
      name: 'a flat image has no gradients: all zeros',
      inputs: { x: { shape: [4, 4], dtype: 'f32', data: image(4, 4, () => 7) } },
      attrs: { ...SINGLE_CELL, orientations: 2 },
      expected: { out: [0, 0] },
    },
  ],
  random: (rng) => [randomCase(rng, 'linear'), randomCase(rng, 'nearest')],
};

function randomCase(rng: Rng, binning: 'linear' | 'nearest'): Omit<KernelCases<HogAttrs>['cases'][number], 'expected'> {
  const cellSize: [number, number] = [rng.int(2, 6), rng.int(2, 6)];
  const blockSize: [number, number] = [rng.int(1, 3), rng.int(1, 3)];
  const height = cellSize[0] * blockSize[0] + rng.int(0, 20);
  const width = cellSize[1] * blockSize[1] + rng.int(0, 20);
  const images = rng.int(1, 3);
  const size = images * height * width;
  // Smooth values for linear binning; integers 0–2 for nearest, whose gradients (±2 at most, or
  // their square roots) never point within 0.02 rad of a bin edge: f32 and f64 agree on the bin.
  const data = binning === 'linear' ? rng.floats(size, 0, 1) : Float32Array.from({ length: size }, () => rng.int(0, 2));
  return {
    name: `random ${binning}`,
    inputs: { x: { shape: [images, height, width], dtype: 'f32', data } },
    attrs: { orientations: binning === 'linear' ? rng.int(4, 12) : 9, cellSize, blockSize, binning, transformSqrt: rng.next() < 0.3 },
  };
}
