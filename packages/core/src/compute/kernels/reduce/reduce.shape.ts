import { ShapeError } from '../../../errors.js';
import type { Specs, TensorSpec } from '../../kernel.js';
import { resolveAxis, splitAroundAxis } from '../../shape.js';

export type ReduceOp = 'sum' | 'mean' | 'variance';
const OPS: readonly ReduceOp[] = ['sum', 'mean', 'variance'];

export interface ReduceAttrs {
  readonly op: ReduceOp;
  readonly axis: number;
  /** Keep the reduced axis with length 1 (default false). */
  readonly keepDims?: boolean;
  /** Variance divisor is n − correction: 0 for the population variance (default), 1 for the sample variance. */
  readonly correction?: number;
}

export function reduceGeometry(x: TensorSpec, attrs: ReduceAttrs): { outer: number; size: number; inner: number; axis: number } {
  if (!OPS.includes(attrs.op)) throw new ShapeError(`kernel "reduce": op "${attrs.op}" is not one of ${OPS.join(', ')}`);
  const axis = resolveAxis(attrs.axis, x.shape.length, 'kernel "reduce"');
  return { ...splitAroundAxis(x.shape, axis), axis };
}

export function reduceOutputs({ x }: Specs<'x'>, attrs: ReduceAttrs): Specs<'out'> {
  const { axis } = reduceGeometry(x, attrs);
  const shape = attrs.keepDims ? x.shape.map((d, k) => (k === axis ? 1 : d)) : x.shape.filter((_, k) => k !== axis);
  return { out: { shape, dtype: 'f32' } };
}

export function divisorOf(attrs: ReduceAttrs, size: number): number {
  return attrs.op === 'variance' ? size - (attrs.correction ?? 0) : attrs.op === 'mean' ? size : 1;
}
