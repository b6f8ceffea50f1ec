import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';

export interface SoftmaxCrossEntropyAttrs {
  /** ε: the target puts 1 − ε on the true class plus ε / C on every class (default 0). */
  readonly labelSmoothing?: number;
  /** Multiplies every row's loss and gradient, e.g. 1 / Σ_r s_r·w[y_r] (row weight × class weight of its label) for a weighted batch mean (default 1). */
  readonly scale?: number;
}

export type SoftmaxCrossEntropyInputs = 'logits' | 'labels' | 'weights' | 'rowWeights';

export interface SoftmaxCrossEntropyDims {
  readonly rows: number;
  readonly classes: number;
}

export function softmaxCrossEntropyDims({ logits, labels, weights, rowWeights }: Specs<SoftmaxCrossEntropyInputs>, { labelSmoothing = 0 }: SoftmaxCrossEntropyAttrs): SoftmaxCrossEntropyDims {
  if (logits.shape.length !== 2) throw new ShapeError(`kernel "softmax-cross-entropy": logits ${formatShape(logits.shape)} must be [rows, classes]`);
  const [rows, classes] = logits.shape as [number, number];
  if (labels.shape.length !== 1 || labels.shape[0] !== rows) {
    throw new ShapeError(`kernel "softmax-cross-entropy": labels ${formatShape(labels.shape)} must be [${rows}], one per row of logits ${formatShape(logits.shape)}`);
  }
  if (weights.shape.length !== 1 || weights.shape[0] !== classes) {
    throw new ShapeError(`kernel "softmax-cross-entropy": weights ${formatShape(weights.shape)} must be [${classes}], one per class`);
  }
  if (rowWeights.shape.length !== 1 || rowWeights.shape[0] !== rows) {
    throw new ShapeError(`kernel "softmax-cross-entropy": rowWeights ${formatShape(rowWeights.shape)} must be [${rows}], one per row of logits ${formatShape(logits.shape)}`);
  }
  if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new ShapeError(`kernel "softmax-cross-entropy": labelSmoothing ${labelSmoothing} must be in [0, 1)`);
  return { rows, classes };
}

export function softmaxCrossEntropyOutputs(inputs: Specs<SoftmaxCrossEntropyInputs>, attrs: SoftmaxCrossEntropyAttrs): Specs<'grad' | 'loss'> {
  const { rows, classes } = softmaxCrossEntropyDims(inputs, attrs);
  return { grad: { shape: [rows, classes], dtype: 'f32' }, loss: { shape: [rows], dtype: 'f32' } };
}
