import type { Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';
import { ShapeError } from '../../../errors.js';

/** Binary rows x [M, L] and codebook [C, L] (L 32-bit words each, C ≥ 1) → the nearest codebook row per x row [M]. */
export function hammingNearestOutputs({ x, codebook }: Specs<'x' | 'codebook'>): Specs<'out'> {
  if (x.shape.length !== 2) throw new ShapeError(`kernel "hamming-nearest": x ${formatShape(x.shape)} must be rows of packed bits [M, L]`);
  if (codebook.shape.length !== 2 || codebook.shape[1] !== x.shape[1] || codebook.shape[0] === 0) {
    throw new ShapeError(`kernel "hamming-nearest": codebook ${formatShape(codebook.shape)} must be [C, ${x.shape[1]}] with C ≥ 1, rows as long as x's`);
  }
  return { out: { shape: [x.shape[0]!], dtype: 'i32' } };
}

export function rowGeometry(x: readonly number[], codebook: readonly number[]): { words: number; codes: number } {
  return { words: x[1]!, codes: codebook[0]! };
}
