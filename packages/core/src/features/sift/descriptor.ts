import type { LevelImage } from './orientation.js';
import { gradientAngle } from './orientation.js';

/** Spatial cells per side and orientation bins per cell: 4 × 4 × 8 = 128 (Lowe's layout). */
const CELLS = 4;
const BINS = 8;
/** A cell's side in units of the keypoint's scale. */
const CELL_FACTOR = 3;
/** Entries are clipped at this share of the vector's norm before renormalising (illumination). */
const CLIP = 0.2;
/** Final scale so entries fit 0..255, as OpenCV's (then rounded and saturated like its 8-bit cast). */
const INT_FACTOR = 512;

/**
 * Lowe's 128-d descriptor of the keypoint at (x, y) with orientation `angle` (degrees, y up) and
 * scale `scale` in its octave's Gaussian level, as OpenCV's calcSIFTDescriptor: gradients of the
 * rotated 4×4 grid of cells (each 3·scale wide), Gaussian-weighted (σ half the window), spread by
 * trilinear interpolation over cells and 8 orientation bins, L2-normalised, clipped at 0.2,
 * renormalised to 512 and rounded to 0..255. Writes `out[at .. at + 128)`.
 */
export function describeKeypoint(level: LevelImage, x: number, y: number, angle: number, scale: number, out: Float32Array, at: number): void {
  const { pixels, offset, width, height } = level;
  const px = Math.round(x);
  const py = Math.round(y);
  const cellWidth = CELL_FACTOR * scale;
  const radius = Math.min(Math.round(cellWidth * Math.SQRT2 * (CELLS + 1) * 0.5), Math.floor(Math.hypot(width, height)));
  const cos = Math.cos((angle * Math.PI) / 180) / cellWidth;
  const sin = Math.sin((angle * Math.PI) / 180) / cellWidth;
  const binsPerDegree = BINS / 360;
  const expScale = -1 / (CELLS * CELLS * 0.5);
  // Cells −1 .. CELLS and bins 0 .. BINS+1, so interpolation never needs a bounds test.
  const side = CELLS + 2;
  const hist = new Float64Array(side * side * (BINS + 2));
  for (let i = -radius; i <= radius; i++) {
    for (let j = -radius; j <= radius; j++) {
      const colRot = j * cos - i * sin;
      const rowRot = j * sin + i * cos;
      const rbin = rowRot + CELLS / 2 - 0.5;
      const cbin = colRot + CELLS / 2 - 0.5;
      const r = py + i;
      const c = px + j;
      if (!(rbin > -1 && rbin < CELLS && cbin > -1 && cbin < CELLS && r > 0 && r < height - 1 && c > 0 && c < width - 1)) continue;
      const p = offset + r * width + c;
      const dx = pixels[p + 1]! - pixels[p - 1]!;
      const dy = pixels[p - width]! - pixels[p + width]!;
      const magnitude = Math.hypot(dx, dy) * Math.exp((colRot * colRot + rowRot * rowRot) * expScale);
      let obin = (gradientAngle(dy, dx) - angle) * binsPerDegree;
      const r0 = Math.floor(rbin);
      const c0 = Math.floor(cbin);
      let o0 = Math.floor(obin);
      const fr = rbin - r0;
      const fc = cbin - c0;
      obin -= o0;
      if (o0 < 0) o0 += BINS;
      if (o0 >= BINS) o0 -= BINS;
      for (let dr = 0; dr < 2; dr++) {
        const wr = dr === 0 ? 1 - fr : fr;
        for (let dc = 0; dc < 2; dc++) {
          const v = magnitude * wr * (dc === 0 ? 1 - fc : fc);
          const cell = ((r0 + 1 + dr) * side + c0 + 1 + dc) * (BINS + 2);
          hist[cell + o0]! += v * (1 - obin);
          hist[cell + o0 + 1]! += v * obin;
        }
      }
    }
  }
  // Orientation bins wrap: bin BINS is bin 0, BINS + 1 is bin 1.
  const values = new Float64Array(CELLS * CELLS * BINS);
  for (let i = 0; i < CELLS; i++) {
    for (let j = 0; j < CELLS; j++) {
      const cell = ((i + 1) * side + j + 1) * (BINS + 2);
      for (let k = 0; k < BINS; k++) values[(i * CELLS + j) * BINS + k] = hist[cell + k]! + (k < 2 ? hist[cell + BINS + k]! : 0);
    }
  }
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, e) => s + e * e, 0));
  const clip = norm(values) * CLIP;
  for (let k = 0; k < values.length; k++) values[k] = Math.min(values[k]!, clip);
  const factor = INT_FACTOR / Math.max(norm(values), 1.1920929e-7);
  for (let k = 0; k < values.length; k++) out[at + k] = Math.min(255, Math.round(values[k]! * factor));
}
