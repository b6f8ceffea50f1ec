import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape, sameShape } from '../../shape.js';
import { rowsAndColumns } from '../l2-normalize-rows/l2-normalize-rows.shape.js';

export type L2NormalizeRowsBackwardInputs = 'y' | 'norm' | 'dy';

export function l2NormalizeRowsBackwardDims({ y, norm, dy }: Specs<L2NormalizeRowsBackwardInputs>): [number, number] {
  const [rows, columns] = rowsAndColumns(y, 'l2-normalize-rows-backward');
  if (!sameShape(dy.shape, y.shape)) throw new ShapeError(`kernel "l2-normalize-rows-backward": dy ${formatShape(dy.shape)} must have y's shape ${formatShape(y.shape)}`);
  if (norm.shape.length !== 1 || norm.shape[0] !== rows) throw new ShapeError(`kernel "l2-normalize-rows-backward": norm ${formatShape(norm.shape)} must be [${rows}], one per row`);
  return [rows, columns];
}

export function l2NormalizeRowsBackwardOutputs(inputs: Specs<L2NormalizeRowsBackwardInputs>): Specs<'dx'> {
  return { dx: { shape: l2NormalizeRowsBackwardDims(inputs), dtype: 'f32' } };
}
