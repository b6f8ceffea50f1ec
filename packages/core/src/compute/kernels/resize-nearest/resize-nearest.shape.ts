import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';

export interface ResizeNearestDims {
  /** Planes of x: the product of the axes before the last two. */
  readonly planes: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly height: number;
  readonly width: number;
}

export function resizeNearestDims({ x, rows, cols }: Specs<'x' | 'rows' | 'cols'>): ResizeNearestDims {
  const fail = (message: string) => new ShapeError(`kernel "resize-nearest": ${message}`);
  if (x.shape.length < 2) throw fail(`x ${formatShape(x.shape)} must have rank ≥ 2 ([..., H, W])`);
  for (const [what, table] of [['rows', rows], ['cols', cols]] as const) {
    if (table.shape.length !== 1 || table.shape[0]! < 1) throw fail(`${what} ${formatShape(table.shape)} must be a non-empty vector of source indices`);
  }
  const [inHeight, inWidth] = x.shape.slice(-2) as [number, number];
  if (inHeight < 1 || inWidth < 1) throw fail(`x ${formatShape(x.shape)} has an empty plane`);
  const planes = x.shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { planes, inHeight, inWidth, height: rows.shape[0]!, width: cols.shape[0]! };
}

export function resizeNearestOutputs(inputs: Specs<'x' | 'rows' | 'cols'>): Specs<'out'> {
  const { height, width } = resizeNearestDims(inputs);
  return { out: { shape: [...inputs.x.shape.slice(0, -2), height, width], dtype: 'f32' } };
}
