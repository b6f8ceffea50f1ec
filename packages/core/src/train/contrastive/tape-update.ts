import type { Tensor } from '../../compute/tensor.js';
import { TrainError } from '../../errors.js';
import type { Optimizer } from '../optimizer.js';
import type { Parameter } from '../tape/layer.js';

/**
 * One optimizer step over tape parameters from the gradients a backward pass returned: each
 * parameter's value is replaced by the updated tensor, weight decay applies to weights (rank ≥ 2)
 * only, and the gradients are released.
 */
export async function applyTapeGradients(optimizer: Optimizer, parameters: readonly Parameter[], gradients: Map<string, Tensor>, lr: number): Promise<void> {
  const ordered = parameters.map((p) => {
    const g = gradients.get(p.name);
    if (!g) throw new TrainError('TRAIN_INVALID_OPTIONS', `no gradient reached parameter "${p.name}": it is not on the path from the input to the loss`);
    return g;
  });
  const updated = await optimizer.step(
    parameters.map((p) => p.value),
    ordered,
    { lr, decay: parameters.map((p) => p.value.shape.length >= 2) },
  );
  updated.forEach((value, i) => (parameters[i]!.value = value));
  for (const g of gradients.values()) g.dispose();
}
