import type { TypedArray } from '../../dtype.js';
import { DESCRIPTOR_LENGTH, KEYPOINT_FIELDS } from './sift-descriptor.shape.js';

const CELLS = 4;
const BINS = 8;
/** A cell's side in units of the keypoint's scale. */
const CELL_FACTOR = 3;
/** Entries are clipped at this share of the vector's norm before renormalising (illumination). */
const CLIP = 0.2;
/** Final scale, so that entries rounded to integers fit 0..255 (OpenCV's). */
const INT_FACTOR = 512;

/** Gradient angle in degrees in [0, 360), y pointing up. */
function angleOf(dy: number, dx: number): number {
  const a = (Math.atan2(dy, dx) * 180) / Math.PI;
  return a < 0 ? a + 360 : a;
}

/**
 * Lowe's 128-d descriptor of each keypoint, as OpenCV's calcSIFTDescriptor: gradients of the
 * rotated 4×4 grid of cells (each 3·scale wide) around (round(x), round(y)) of its image of the
 * level, Gaussian-weighted (σ half the window), spread by trilinear interpolation over cells and 8
 * orientation bins, L2-normalised, clipped at 0.2 and renormalised to 512. Rounding to the 8-bit
 * scale is the caller's (the GPU's last bits may differ by far less than one step).
 */
export function siftDescriptorCpu(level: TypedArray, keypoints: TypedArray, out: Float32Array, height: number, width: number): void {
  const side = CELLS + 2;
  const hist = new Float64Array(side * side * (BINS + 2));
  const values = new Float64Array(DESCRIPTOR_LENGTH);
  const count = keypoints.length / KEYPOINT_FIELDS;
  for (let n = 0; n < count; n++) {
    const [image, x, y, angle, scale] = Array.from(keypoints.subarray(n * KEYPOINT_FIELDS, (n + 1) * KEYPOINT_FIELDS));
    const offset = image! * height * width;
    const px = Math.floor(x! + 0.5);
    const py = Math.floor(y! + 0.5);
    const cellWidth = CELL_FACTOR * scale!;
    const radius = Math.min(Math.floor(cellWidth * Math.SQRT2 * (CELLS + 1) * 0.5 + 0.5), Math.floor(Math.sqrt(width * width + height * height)));
    const cos = Math.cos((angle! * Math.PI) / 180) / cellWidth;
    const sin = Math.sin((angle! * Math.PI) / 180) / cellWidth;
    const expScale = -1 / (CELLS * CELLS * 0.5);
    hist.fill(0);
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
        const dx = level[p + 1]! - level[p - 1]!;
        const dy = level[p - width]! - level[p + width]!;
        const magnitude = Math.sqrt(dx * dx + dy * dy) * Math.exp((colRot * colRot + rowRot * rowRot) * expScale);
        let obin = ((angleOf(dy, dx) - angle!) * BINS) / 360;
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
    let norm = 0;
    for (let i = 0; i < CELLS; i++) {
      for (let j = 0; j < CELLS; j++) {
        const cell = ((i + 1) * side + j + 1) * (BINS + 2);
        for (let k = 0; k < BINS; k++) {
          const v = hist[cell + k]! + (k < 2 ? hist[cell + BINS + k]! : 0);
          values[(i * CELLS + j) * BINS + k] = v;
          norm += v * v;
        }
      }
    }
    const clip = Math.sqrt(norm) * CLIP;
    norm = 0;
    for (let k = 0; k < DESCRIPTOR_LENGTH; k++) {
      values[k] = Math.min(values[k]!, clip);
      norm += values[k]! * values[k]!;
    }
    const factor = INT_FACTOR / Math.max(Math.sqrt(norm), 1.1920929e-7);
    for (let k = 0; k < DESCRIPTOR_LENGTH; k++) out[n * DESCRIPTOR_LENGTH + k] = values[k]! * factor;
  }
}
