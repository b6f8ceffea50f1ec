import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';

/** The smallest norm divided by (PyTorch's F.normalize eps): a zero row stays zero instead of NaN. */
export const L2_NORMALIZE_EPSILON = 1e-12;

export function rowsAndColumns(x: { shape: readonly number[] }, what: string): [number, number] {
  if (x.shape.length !== 2) throw new ShapeError(`kernel "${what}": ${formatShape(x.shape)} must be [rows, columns]`);
  return x.shape as [number, number];
}

export function l2NormalizeRowsOutputs({ x }: Specs<'x'>): Specs<'out' | 'norm'> {
  const [rows, columns] = rowsAndColumns(x, 'l2-normalize-rows');
  return { out: { shape: [rows, columns], dtype: 'f32' }, norm: { shape: [rows], dtype: 'f32' } };
}
