import type { Device } from '../../compute/device.js';
import { add } from '../../compute/kernels/add/add.js';
import { l2NormalizeRowsBackward } from '../../compute/kernels/l2-normalize-rows-backward/l2-normalize-rows-backward.js';
import { l2NormalizeRows } from '../../compute/kernels/l2-normalize-rows/l2-normalize-rows.js';
import { matmul } from '../../compute/kernels/matmul/matmul.js';
import { ntXent } from '../../compute/kernels/nt-xent/nt-xent.js';
import { Tensor } from '../../compute/tensor.js';
import { TrainError } from '../../errors.js';

export interface NtXentResult {
  /** The mean loss over the anchors that have a positive. */
  readonly loss: number;
  /** dL/dh [M, D], on the device of h; the caller disposes it. */
  readonly gradient: Tensor;
}

/**
 * The contrastive loss of projections h [M, D] on the Device and its gradient, composed of
 * kernels: z = l2-normalize-rows(h); S = matmul(z, zᵀ); nt-xent(S, labels, τ) gives the loss per
 * anchor and G = dL/dS; dL/dz = matmul(G, z) + matmul(Gᵀ, z) (S is z·zᵀ, so both factors carry
 * it); dL/dh = l2-normalize-rows-backward(z, ‖h‖, dL/dz). Rows with equal `labels` are positives
 * of each other (SimCLR: the image's index for both its views; SupCon: the class). The loss is
 * averaged over the anchors that have a positive.
 */
export async function ntXentLoss(device: Device, h: Tensor, labels: Int32Array, temperature: number): Promise<NtXentResult> {
  const rows = h.shape[0]!;
  if (h.shape.length !== 2 || labels.length !== rows) throw new TrainError('TRAIN_INVALID_DATA', `contrastive loss: projections [${h.shape.join(', ')}] and ${labels.length} labels must be [rows, D] and one label per row`);
  const anchors = anchorsWithPositives(labels);
  if (anchors === 0) throw new TrainError('TRAIN_INVALID_DATA', `contrastive loss: none of the ${rows} rows has a positive (another row with its label); give two views per image or at least two images per class`);
  const { out: z, norm } = await device.run(l2NormalizeRows, { x: h }, {});
  const { out: similarity } = await device.run(matmul, { a: z, b: z }, { transposeB: true });
  const labelTensor = device.upload(Tensor.cpu('i32', [rows], labels));
  const { grad, loss } = await device.run(ntXent, { similarity, labels: labelTensor }, { temperature, scale: 1 / anchors });
  similarity.dispose();
  if (labelTensor.location === 'gpu') labelTensor.dispose();
  const { out: left } = await device.run(matmul, { a: grad, b: z }, {});
  const { out: right } = await device.run(matmul, { a: grad, b: z }, { transposeA: true });
  grad.dispose();
  const { out: dz } = await device.run(add, { a: left, b: right }, {});
  left.dispose();
  right.dispose();
  const { dx } = await device.run(l2NormalizeRowsBackward, { y: z, norm, dy: dz }, {});
  for (const t of [z, norm, dz]) t.dispose();
  const perRow = (await device.read(loss)) as Float32Array;
  loss.dispose();
  let total = 0;
  for (const v of perRow) total += v;
  return { loss: total, gradient: dx };
}

/** How many rows have another row with their label. */
export function anchorsWithPositives(labels: Int32Array): number {
  const counts = new Map<number, number>();
  for (const y of labels) counts.set(y, (counts.get(y) ?? 0) + 1);
  let anchors = 0;
  for (const y of labels) if (counts.get(y)! > 1) anchors++;
  return anchors;
}
