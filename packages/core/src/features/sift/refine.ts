import type { Octave } from './scale-space.js';
import { SIFT_BORDER } from './scale-space.js';
import type { SiftOptions } from './sift-options.js';

/** A refined extremum, in the coordinates of its octave. */
export interface OctavePoint {
  readonly octave: number;
  /** The DoG layer (1 .. layers) the point settled in; its Gaussian level is the one described. */
  readonly layer: number;
  /** Sub-pixel position in the octave. */
  readonly x: number;
  readonly y: number;
  /** Sub-level offset of the scale, in (−0.5, 0.5). */
  readonly scaleOffset: number;
  /** |DoG| at the refined position, on the 0..1 scale. */
  readonly response: number;
}

const MAX_STEPS = 5;

/**
 * Lowe's sub-pixel refinement of the extremum at (x, y, layer) of image `image` of the octave, as
 * OpenCV's adjustLocalExtrema: fit a 3-D quadratic to the DoG (finite differences), step to its
 * vertex while the offset is over half a sample, up to 5 times; then drop it when the interpolated
 * contrast is too low or the 2-D Hessian's curvature ratio says it lies on an edge. Null: dropped.
 */
export function refineExtremum(octave: Octave, image: number, x0: number, y0: number, layer0: number, options: SiftOptions): OctavePoint | null {
  const { width, height } = octave;
  const plane = image * width * height;
  const scale = 1 / 255;
  let [x, y, layer] = [x0, y0, layer0];
  let offset = [0, 0, 0];
  let gradient = [0, 0, 0];
  let hessian: number[][] = [];
  let step = 0;
  for (; step < MAX_STEPS; step++) {
    ({ gradient, hessian } = derivatives(octave, plane, x, y, layer, scale));
    offset = solve3(hessian, gradient).map((v) => -v);
    const [dx, dy, ds] = offset as [number, number, number];
    if (Math.abs(dx) < 0.5 && Math.abs(dy) < 0.5 && Math.abs(ds) < 0.5) break;
    if (!offset.every((v) => Math.abs(v) < 1e8)) return null;
    x += Math.round(dx);
    y += Math.round(dy);
    layer += Math.round(ds);
    if (layer < 1 || layer > options.octaveLayers || x < SIFT_BORDER || x >= width - SIFT_BORDER || y < SIFT_BORDER || y >= height - SIFT_BORDER) return null;
  }
  if (step >= MAX_STEPS) return null;
  ({ gradient, hessian } = derivatives(octave, plane, x, y, layer, scale));
  const [dx, dy, ds] = offset as [number, number, number];
  const value = octave.dogs[layer]![plane + y * width + x]! * scale;
  const contrast = value + 0.5 * (gradient[0]! * dx + gradient[1]! * dy + gradient[2]! * ds);
  if (Math.abs(contrast) * options.octaveLayers < options.contrastThreshold) return null;
  const [dxx, dxy] = hessian[0] as [number, number, number];
  const dyy = hessian[1]![1]!;
  const trace = dxx + dyy;
  const det = dxx * dyy - dxy * dxy;
  const r = options.edgeThreshold;
  if (det <= 0 || trace * trace * r >= (r + 1) * (r + 1) * det) return null;
  return { octave: octave.index, layer, x: x + dx, y: y + dy, scaleOffset: ds, response: Math.abs(contrast) };
}

/** Gradient and Hessian of the DoG at (x, y, layer) by central differences, in (x, y, scale) order. */
function derivatives(octave: Octave, plane: number, x: number, y: number, layer: number, scale: number): { gradient: number[]; hessian: number[][] } {
  const w = octave.width;
  const at = (level: number, dx: number, dy: number) => octave.dogs[level]![plane + (y + dy) * w + x + dx]!;
  const c = layer;
  const v2 = at(c, 0, 0) * 2;
  const gradient = [(at(c, 1, 0) - at(c, -1, 0)) * scale * 0.5, (at(c, 0, 1) - at(c, 0, -1)) * scale * 0.5, (at(c + 1, 0, 0) - at(c - 1, 0, 0)) * scale * 0.5];
  const dxx = (at(c, 1, 0) + at(c, -1, 0) - v2) * scale;
  const dyy = (at(c, 0, 1) + at(c, 0, -1) - v2) * scale;
  const dss = (at(c + 1, 0, 0) + at(c - 1, 0, 0) - v2) * scale;
  const dxy = (at(c, 1, 1) - at(c, -1, 1) - at(c, 1, -1) + at(c, -1, -1)) * scale * 0.25;
  const dxs = (at(c + 1, 1, 0) - at(c + 1, -1, 0) - at(c - 1, 1, 0) + at(c - 1, -1, 0)) * scale * 0.25;
  const dys = (at(c + 1, 0, 1) - at(c + 1, 0, -1) - at(c - 1, 0, 1) + at(c - 1, 0, -1)) * scale * 0.25;
  return { gradient, hessian: [[dxx, dxy, dxs], [dxy, dyy, dys], [dxs, dys, dss]] };
}

/** A·x = b for a 3×3 A by Gaussian elimination with partial pivoting; a singular A gives 0. */
export function solve3(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < 3; col++) {
    let pivot = col;
    for (let r = col + 1; r < 3; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < 1e-12) return [0, 0, 0];
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = col + 1; r < 3; r++) {
      const f = m[r]![col]! / m[col]![col]!;
      for (let k = col; k < 4; k++) m[r]![k]! -= f * m[col]![k]!;
    }
  }
  const x = [0, 0, 0];
  for (let r = 2; r >= 0; r--) {
    let s = m[r]![3]!;
    for (let k = r + 1; k < 3; k++) s -= m[r]![k]! * x[k]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}
