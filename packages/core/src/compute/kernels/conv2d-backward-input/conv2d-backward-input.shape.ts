import { ShapeError } from '../../../errors.js';
import type { Specs, TensorSpec } from '../../kernel.js';
import { assertNchw } from '../../kernels-shared/window-geometry.js';
import { assertOutputGradient, convGeometry, type Conv2dAttrs, type ConvGeometry } from '../conv2d/conv2d.shape.js';

export interface Conv2dBackwardInputAttrs extends Conv2dAttrs {
  /** The forward input's [height, width]: with strides > 1 several input sizes give one output size. */
  readonly inputSize: readonly [number, number];
}

export function convBackwardInputGeometry(dy: TensorSpec, w: TensorSpec, attrs: Conv2dBackwardInputAttrs): ConvGeometry {
  const kernel = 'conv2d-backward-input';
  const [batch] = assertNchw(kernel, 'dy', dy);
  const [, groupChannels] = assertNchw(kernel, 'w', w);
  const { inputSize } = attrs;
  if (!Array.isArray(inputSize) || inputSize.length !== 2 || !inputSize.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new ShapeError(`kernel "${kernel}": inputSize ${JSON.stringify(inputSize)} must be the forward input's [height, width]`);
  }
  const x = { shape: [batch, groupChannels * (attrs.group ?? 1), inputSize[0], inputSize[1]], dtype: 'f32' as const };
  const g = convGeometry(kernel, x, w, attrs);
  assertOutputGradient(kernel, dy, g);
  return g;
}

export function conv2dBackwardInputOutputs({ dy, w }: Specs<'dy' | 'w'>, attrs: Conv2dBackwardInputAttrs): Specs<'dx'> {
  const g = convBackwardInputGeometry(dy, w, attrs);
  return { dx: { shape: [g.batch, g.channels, g.height, g.width], dtype: 'f32' } };
}
