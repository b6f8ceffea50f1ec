import type { Tensor } from '../compute/tensor.js';

/**
 * Intermediate tensors of a step, freed together: on WebGPU each one holds a pooled buffer
 * until disposed, so every step returns what it borrowed.
 */
export class TensorScope {
  readonly #tensors: Tensor[] = [];

  keep<T extends Tensor>(tensor: T): T {
    this.#tensors.push(tensor);
    return tensor;
  }

  dispose(): void {
    for (const tensor of this.#tensors) tensor.dispose();
    this.#tensors.length = 0;
  }
}
