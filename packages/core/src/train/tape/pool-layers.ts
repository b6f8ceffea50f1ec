import { avgPoolBackward } from '../../compute/kernels/avg-pool-backward/avg-pool-backward.js';
import { avgPool, type AvgPoolAttrs } from '../../compute/kernels/avg-pool/avg-pool.js';
import { globalAveragePoolBackward } from '../../compute/kernels/global-average-pool-backward/global-average-pool-backward.js';
import { globalAveragePool } from '../../compute/kernels/global-average-pool/global-average-pool.js';
import { maxPoolBackward } from '../../compute/kernels/max-pool-backward/max-pool-backward.js';
import { maxPool, type PoolAttrs } from '../../compute/kernels/max-pool/max-pool.js';
import type { Tensor } from '../../compute/tensor.js';
import type { ForwardContext, Layer, Parameter } from './layer.js';

const inputSize = (x: Tensor): [number, number] => [x.shape[2]!, x.shape[3]!];

/** ONNX MaxPool; the backward routes dy through the argmax indices it saved. */
export class MaxPoolLayer implements Layer {
  constructor(
    readonly name: string,
    readonly attrs: PoolAttrs,
  ) {}

  parameters(): readonly Parameter[] {
    return [];
  }

  async forward(ctx: ForwardContext, x: Tensor): Promise<Tensor> {
    const { out, indices } = await ctx.device.run(maxPool, { x }, this.attrs);
    if (!ctx.tape) {
      indices.dispose();
      return out;
    }
    ctx.tape.record({
      label: `${this.name} (max-pool)`,
      inputs: [x],
      output: out,
      saved: [indices],
      temporaries: [indices],
      backward: async (dy) => [(await ctx.device.run(maxPoolBackward, { dy, indices }, { ...this.attrs, inputSize: inputSize(x) })).dx],
    });
    return out;
  }
}

/** ONNX AveragePool. */
export class AvgPoolLayer implements Layer {
  constructor(
    readonly name: string,
    readonly attrs: AvgPoolAttrs,
  ) {}

  parameters(): readonly Parameter[] {
    return [];
  }

  async forward(ctx: ForwardContext, x: Tensor): Promise<Tensor> {
    const { out } = await ctx.device.run(avgPool, { x }, this.attrs);
    ctx.tape?.record({
      label: `${this.name} (avg-pool)`,
      inputs: [x],
      output: out,
      saved: [],
      backward: async (dy) => [(await ctx.device.run(avgPoolBackward, { dy }, { ...this.attrs, inputSize: inputSize(x) })).dx],
    });
    return out;
  }
}

/** ONNX GlobalAveragePool: [N, C, H, W] → [N, C, 1, 1]. */
export class GlobalAveragePoolLayer implements Layer {
  constructor(readonly name: string) {}

  parameters(): readonly Parameter[] {
    return [];
  }

  async forward(ctx: ForwardContext, x: Tensor): Promise<Tensor> {
    const { out } = await ctx.device.run(globalAveragePool, { x }, {});
    ctx.tape?.record({
      label: `${this.name} (global-average-pool)`,
      inputs: [x],
      output: out,
      saved: [],
      backward: async (dy) => [(await ctx.device.run(globalAveragePoolBackward, { dy }, { inputSize: x.shape.slice(2) })).dx],
    });
    return out;
  }
}
