import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape, sizeOf } from '../../shape.js';

/** x [N, C, ...spatial] seen as [N·C planes, plane size]. */
export function planesOf(kernel: string, shape: readonly number[]): { planes: number; planeSize: number } {
  if (shape.length < 3) throw new ShapeError(`kernel "${kernel}": ${formatShape(shape)} must be [N, C, ...spatial] with at least one spatial axis`);
  return { planes: shape[0]! * shape[1]!, planeSize: sizeOf(shape.slice(2)) };
}

export function globalAveragePoolOutputs({ x }: Specs<'x'>): Specs<'out'> {
  planesOf('global-average-pool', x.shape);
  return { out: { shape: [x.shape[0]!, x.shape[1]!, ...x.shape.slice(2).map(() => 1)], dtype: 'f32' } };
}
