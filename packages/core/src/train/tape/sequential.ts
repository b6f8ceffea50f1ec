import type { Tensor } from '../../compute/tensor.js';
import type { ForwardContext, Layer, Parameter } from './layer.js';

/** Layers applied in order. Without a tape, each intermediate is released once the next layer has read it. */
export class Sequential implements Layer {
  constructor(
    readonly name: string,
    readonly layers: readonly Layer[],
  ) {}

  parameters(): readonly Parameter[] {
    return this.layers.flatMap((l) => l.parameters());
  }

  async forward(ctx: ForwardContext, x: Tensor): Promise<Tensor> {
    let h = x;
    for (const layer of this.layers) {
      const next = await layer.forward(ctx, h);
      if (!ctx.tape && h !== x && next !== h) h.dispose();
      h = next;
    }
    return h;
  }
}
