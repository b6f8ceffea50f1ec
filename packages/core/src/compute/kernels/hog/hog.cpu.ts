import type { TypedArray } from '../../dtype.js';
import { HOG_CLIP, HOG_EPSILON, type HogGeometry } from './hog.shape.js';

/**
 * The reference HOG, in float64: centred [−1, 0, 1] gradients (0 on the image border, as
 * scikit-image), unsigned orientations, cell histograms averaged over the cell's pixels, blocks of
 * cells stepping one cell, L2-Hys per block. Output per image: [blocksDown, blocksAcross,
 * blockRows, blockCols, orientations], flattened.
 */
export function hogCpu(x: TypedArray, out: Float32Array, g: HogGeometry): void {
  const { height, width, orientations, cellRows, cellCols } = g;
  const cellsDown = g.blocksDown + g.blockRows - 1;
  const cellsAcross = g.blocksAcross + g.blockCols - 1;
  const pixels = height * width;
  const image = new Float64Array(pixels);
  const cells = new Float64Array(cellsDown * cellsAcross * orientations);
  const block = new Float64Array(g.blockBins);
  const binWidth = Math.PI / orientations;
  const cellArea = cellRows * cellCols;

  for (let n = 0; n < g.images; n++) {
    for (let p = 0; p < pixels; p++) image[p] = g.transformSqrt ? Math.sqrt(x[n * pixels + p]!) : x[n * pixels + p]!;
    cells.fill(0);
    for (let r = 0; r < cellsDown * cellRows; r++) {
      for (let c = 0; c < cellsAcross * cellCols; c++) {
        const gRow = r === 0 || r === height - 1 ? 0 : image[(r + 1) * width + c]! - image[(r - 1) * width + c]!;
        const gCol = c === 0 || c === width - 1 ? 0 : image[r * width + c + 1]! - image[r * width + c - 1]!;
        const magnitude = Math.hypot(gRow, gCol);
        if (magnitude === 0) continue;
        const base = (Math.floor(r / cellRows) * cellsAcross + Math.floor(c / cellCols)) * orientations;
        const angle = unsignedAngle(gRow, gCol);
        if (g.binning === 'nearest') {
          cells[base + Math.max(0, Math.min(Math.floor(angle / binWidth), orientations - 1))]! += magnitude;
        } else {
          const position = angle / binWidth - 0.5;
          const lower = Math.floor(position);
          const upperShare = position - lower;
          cells[base + ((lower + orientations) % orientations)]! += (1 - upperShare) * magnitude;
          cells[base + ((lower + 1) % orientations)]! += upperShare * magnitude;
        }
      }
    }
    for (let i = 0; i < cells.length; i++) cells[i]! /= cellArea;

    let o = n * g.features;
    for (let br = 0; br < g.blocksDown; br++) {
      for (let bc = 0; bc < g.blocksAcross; bc++) {
        let k = 0;
        for (let i = 0; i < g.blockRows; i++) {
          for (let j = 0; j < g.blockCols; j++) {
            const base = ((br + i) * cellsAcross + bc + j) * orientations;
            for (let b = 0; b < orientations; b++) block[k++] = cells[base + b]!;
          }
        }
        l2Hys(block);
        for (let b = 0; b < block.length; b++) out[o++] = block[b]!;
      }
    }
  }
}

/**
 * Angle of the gradient (gRow, gCol) folded into [0, π): the direction counts, not the sign.
 * Folding by negating the vector (instead of a modulo in degrees) keeps horizontal gradients at
 * exactly 0, whichever way they point.
 */
export function unsignedAngle(gRow: number, gCol: number): number {
  if (gRow === 0) return 0;
  return gRow < 0 ? Math.atan2(-gRow, -gCol) : Math.atan2(gRow, gCol);
}

function l2Hys(v: Float64Array): void {
  const eps2 = HOG_EPSILON * HOG_EPSILON;
  let sum = 0;
  for (const value of v) sum += value * value;
  const first = 1 / Math.sqrt(sum + eps2);
  sum = 0;
  for (let i = 0; i < v.length; i++) {
    v[i] = Math.min(v[i]! * first, HOG_CLIP);
    sum += v[i]! * v[i]!;
  }
  const second = 1 / Math.sqrt(sum + eps2);
  for (let i = 0; i < v.length; i++) v[i]! *= second;
}
