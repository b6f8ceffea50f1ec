import { ShapeError } from '../../../errors.js';
import type { Specs } from '../../kernel.js';
import { formatShape } from '../../shape.js';

export interface NtXentAttrs {
  /** τ > 0: the similarities are divided by it before the softmax. */
  readonly temperature: number;
  /** Multiplies every row's loss and gradient, e.g. 1 / rows for the batch mean (default 1). */
  readonly scale?: number;
}

export type NtXentInputs = 'similarity' | 'labels';

export function ntXentRows({ similarity, labels }: Specs<NtXentInputs>, { temperature, scale = 1 }: NtXentAttrs): number {
  const [rows, columns] = similarity.shape as [number, number];
  if (similarity.shape.length !== 2 || rows !== columns) throw new ShapeError(`kernel "nt-xent": similarity ${formatShape(similarity.shape)} must be square [rows, rows]`);
  if (labels.shape.length !== 1 || labels.shape[0] !== rows) throw new ShapeError(`kernel "nt-xent": labels ${formatShape(labels.shape)} must be [${rows}], one per row of similarity ${formatShape(similarity.shape)}`);
  if (!(temperature > 0)) throw new ShapeError(`kernel "nt-xent": temperature ${temperature} must be > 0`);
  if (!Number.isFinite(scale)) throw new ShapeError(`kernel "nt-xent": scale ${scale} must be finite`);
  return rows;
}

export function ntXentOutputs(inputs: Specs<NtXentInputs>, attrs: NtXentAttrs): Specs<'grad' | 'loss'> {
  const rows = ntXentRows(inputs, attrs);
  return { grad: { shape: [rows, rows], dtype: 'f32' }, loss: { shape: [rows], dtype: 'f32' } };
}
