import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';

/** Output tile edge of the WGSL program: each workgroup computes one 64×64 tile of the upper triangle. */
export const GRAM_TILE = 64;

export interface GramDims {
  readonly rows: number;
  readonly cols: number;
  /** Tile rows (and columns) of the cols×cols output. */
  readonly tiles: number;
}

/** Gram has no attributes. */
export type GramAttrs = Record<string, never>;

export function gramDims({ x, center }: Specs<'x' | 'center'>): GramDims {
  if (x.shape.length !== 2) throw new ShapeError(`kernel "gram": x ${formatShape(x.shape)} must be [rows, columns]`);
  const [rows, cols] = x.shape as [number, number];
  if (center.shape.length !== 1 || center.shape[0] !== cols) {
    throw new ShapeError(`kernel "gram": center ${formatShape(center.shape)} must be [${cols}], one value per column of x ${formatShape(x.shape)}`);
  }
  return { rows, cols, tiles: Math.ceil(cols / GRAM_TILE) };
}

export function gramOutputs(inputs: Specs<'x' | 'center'>): Specs<'out'> {
  const { cols } = gramDims(inputs);
  return { out: { shape: [cols, cols], dtype: 'f32' } };
}
