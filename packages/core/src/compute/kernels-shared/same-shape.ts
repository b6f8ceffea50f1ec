import { ShapeError } from '../../errors.js';
import type { Specs } from '../kernel.js';
import { formatShape, sameShape, sizeOf } from '../shape.js';

/** Throws unless every named input has the shape of the first (an optimizer's param, grad and state). */
export function assertSameShapes(kernel: string, specs: Specs<string>, names: readonly string[]): void {
  const first = specs[names[0]!]!;
  for (const name of names.slice(1)) {
    if (!sameShape(specs[name]!.shape, first.shape)) {
      throw new ShapeError(`kernel "${kernel}": ${name} ${formatShape(specs[name]!.shape)} must have the shape of ${names[0]} ${formatShape(first.shape)}`);
    }
  }
}

export function assertScalar(kernel: string, name: string, spec: { shape: readonly number[] }): void {
  if (sizeOf(spec.shape) !== 1) throw new ShapeError(`kernel "${kernel}": ${name} ${formatShape(spec.shape)} must hold one value`);
}
