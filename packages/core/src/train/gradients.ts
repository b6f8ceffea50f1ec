import type { Device } from '../compute/device.js';
import { softmaxCrossEntropy } from '../compute/kernels/softmax-cross-entropy/softmax-cross-entropy.js';
import { Tensor } from '../compute/tensor.js';
import type { DenseLayer, Head } from './head.js';
import { backwardHead } from './head-backward.js';
import { forwardHead } from './head-forward.js';
import type { Products } from './products.js';

export interface LossOptions {
  /** Weight per class [classes] (all 1 for an unweighted loss). */
  readonly classWeights: Tensor;
  readonly labelSmoothing: number;
  /** Sample weight per row [rows] (e.g. a mixup row's λ); default all 1. */
  readonly rowWeights?: Tensor;
  /** 1 / Σ_r (row weight × class weight of the row's label): the batch loss is the weighted mean. */
  readonly scale: number;
}

export interface Gradients {
  /** Per layer, shaped like the head's weight and bias. */
  readonly layers: DenseLayer[];
  /** Each row's share of the batch loss [rows]: their sum is the batch loss. */
  readonly rowLosses: Tensor;
}

/**
 * One forward and backward pass over a batch: the weighted, label-smoothed cross-entropy's
 * gradient with respect to every parameter. Everything stays on the device; the caller disposes
 * the returned tensors.
 */
export async function computeGradients(
  device: Device,
  head: Head,
  x: Tensor,
  labels: Tensor,
  loss: LossOptions,
  dropoutSeeds?: readonly number[],
  products?: Products,
): Promise<Gradients> {
  const { logits, cache } = await forwardHead(device, head, x, { ...(dropoutSeeds ? { dropoutSeeds } : {}), ...(products ? { products } : {}) });
  const rowWeights = loss.rowWeights ?? device.upload(Tensor.cpu('f32', [labels.shape[0]!], new Float32Array(labels.shape[0]!).fill(1)));
  const { grad, loss: rowLosses } = await device.run(
    softmaxCrossEntropy,
    { logits, labels, weights: loss.classWeights, rowWeights },
    { labelSmoothing: loss.labelSmoothing, scale: loss.scale },
  );
  logits.dispose();
  if (!loss.rowWeights && rowWeights.location === 'gpu') rowWeights.dispose();
  const layers = await backwardHead(device, head, cache, grad, products);
  grad.dispose();
  cache.scope.dispose();
  return { layers, rowLosses };
}
