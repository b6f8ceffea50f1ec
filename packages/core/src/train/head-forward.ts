import type { Device } from '../compute/device.js';
import { activation } from '../compute/kernels/activation/activation.js';
import { add } from '../compute/kernels/add/add.js';
import { dropout } from '../compute/kernels/dropout/dropout.js';
import type { Tensor } from '../compute/tensor.js';
import type { Head } from './head.js';
import { headProducts, type Products } from './products.js';
import { TensorScope } from './tensor-scope.js';

/** What the backward pass needs from the forward pass. */
export interface ForwardCache {
  /** The input of each layer: x, then each hidden layer's output after dropout. */
  readonly layerInputs: readonly Tensor[];
  /** Each hidden layer's pre-activation x·W + b. */
  readonly preActivations: readonly Tensor[];
  /** Dropout mask seed of each hidden layer; undefined where no dropout was applied. */
  readonly dropoutSeeds: readonly (number | undefined)[];
  /** The intermediates, freed by `dispose` (x itself is the caller's). */
  readonly scope: TensorScope;
}

export interface ForwardOptions {
  /** Training mode: the seed of each hidden layer's dropout mask. Omitted: inference (no dropout). */
  readonly dropoutSeeds?: readonly number[];
  /** How the products run (default: the device's matmul kernel). */
  readonly products?: Products;
}

export async function linear(device: Device, x: Tensor, weight: Tensor, bias: Tensor, products: Products = headProducts(device)): Promise<Tensor> {
  const product = await products(x, weight);
  const { out } = await device.run(add, { a: product, b: bias }, {});
  product.dispose();
  return out;
}

/**
 * Logits of a batch x [rows, inputDim] → [rows, classes], keeping what backward needs. The
 * caller disposes `logits` and `cache.scope`.
 */
export async function forwardHead(device: Device, head: Head, x: Tensor, options: ForwardOptions = {}): Promise<{ logits: Tensor; cache: ForwardCache }> {
  const scope = new TensorScope();
  const layerInputs: Tensor[] = [x];
  const preActivations: Tensor[] = [];
  const dropoutSeeds: (number | undefined)[] = [];
  const spec = head.spec;
  const products = options.products ?? headProducts(device);
  let input = x;
  for (let l = 0; l < head.layers.length - 1; l++) {
    if (spec.head !== 'mlp') break;
    const layer = head.layers[l]!;
    const z = scope.keep(await linear(device, input, layer.weight, layer.bias, products));
    preActivations.push(z);
    let h = (await device.run(activation, { x: z }, { fn: spec.activation })).out;
    const seed = options.dropoutSeeds?.[l];
    if (seed !== undefined && spec.dropout > 0) {
      const dropped = (await device.run(dropout, { x: h }, { p: spec.dropout, seed })).out;
      h.dispose();
      h = dropped;
      dropoutSeeds.push(seed);
    } else {
      dropoutSeeds.push(undefined);
    }
    input = scope.keep(h);
    layerInputs.push(input);
  }
  const last = head.layers[head.layers.length - 1]!;
  const logits = await linear(device, input, last.weight, last.bias, products);
  return { logits, cache: { layerInputs, preActivations, dropoutSeeds, scope } };
}

/** Inference logits (no dropout), intermediates freed. */
export async function headLogits(device: Device, head: Head, x: Tensor, products?: Products): Promise<Tensor> {
  const { logits, cache } = await forwardHead(device, head, x, products ? { products } : {});
  cache.scope.dispose();
  return logits;
}
