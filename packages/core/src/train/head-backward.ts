import type { Device } from '../compute/device.js';
import { activationBackward } from '../compute/kernels/activation-backward/activation-backward.js';
import { dropout } from '../compute/kernels/dropout/dropout.js';
import { reduce } from '../compute/kernels/reduce/reduce.js';
import type { Tensor } from '../compute/tensor.js';
import type { DenseLayer, Head } from './head.js';
import type { ForwardCache } from './head-forward.js';
import { headProducts, type Products } from './products.js';

/**
 * Gradients of every layer's weight and bias from dL/dlogits, layer by layer from the top:
 *   dW = aᵀ·d,  db = Σ_rows d,  da = d·Wᵀ,  then through dropout (same mask) and the activation.
 * The caller owns (and disposes) the returned tensors; `dLogits` stays the caller's.
 */
export async function backwardHead(device: Device, head: Head, cache: ForwardCache, dLogits: Tensor, products: Products = headProducts(device)): Promise<DenseLayer[]> {
  const grads: DenseLayer[] = new Array(head.layers.length);
  let d = dLogits;
  for (let l = head.layers.length - 1; l >= 0; l--) {
    const input = cache.layerInputs[l]!;
    const weight = await products(input, d, { transposeA: true });
    const { out: bias } = await device.run(reduce, { x: d }, { op: 'sum', axis: 0 });
    grads[l] = { weight, bias };
    if (l === 0) break;
    // Into the hidden layer below: through the weights, the dropout mask and the activation.
    let da = await products(d, head.layers[l]!.weight, { transposeB: true });
    const seed = cache.dropoutSeeds[l - 1];
    if (seed !== undefined && head.spec.head === 'mlp') {
      const masked = (await device.run(dropout, { x: da }, { p: head.spec.dropout, seed })).out;
      da.dispose();
      da = masked;
    }
    const fn = head.spec.head === 'mlp' ? head.spec.activation : 'relu';
    const { dx } = await device.run(activationBackward, { x: cache.preActivations[l - 1]!, dy: da }, { fn });
    da.dispose();
    if (d !== dLogits) d.dispose();
    d = dx;
  }
  if (d !== dLogits) d.dispose();
  return grads;
}
