import { activationBackward } from '../../compute/kernels/activation-backward/activation-backward.js';
import { activation, type KernelActivation } from '../../compute/kernels/activation/activation.js';
import { dropout } from '../../compute/kernels/dropout/dropout.js';
import type { Tensor } from '../../compute/tensor.js';
import type { ForwardContext, Layer, Parameter } from './layer.js';

/** ReLU, GELU (tanh approximation) or sigmoid, element-wise on any shape; the backward reads the saved input. */
export class ActivationLayer implements Layer {
  constructor(
    readonly name: string,
    readonly fn: KernelActivation,
  ) {}

  parameters(): readonly Parameter[] {
    return [];
  }

  async forward(ctx: ForwardContext, x: Tensor): Promise<Tensor> {
    const { out } = await ctx.device.run(activation, { x }, { fn: this.fn });
    ctx.tape?.record({
      label: `${this.name} (${this.fn})`,
      inputs: [x],
      output: out,
      saved: [x],
      backward: async (dy) => [(await ctx.device.run(activationBackward, { x, dy }, { fn: this.fn })).dx],
    });
    return out;
  }
}

/**
 * Inverted dropout in training (a fresh seeded mask per pass, regenerated from its seed by the
 * backward instead of stored); the identity in evaluation, where it returns x itself.
 */
export class DropoutLayer implements Layer {
  constructor(
    readonly name: string,
    readonly p: number,
  ) {}

  parameters(): readonly Parameter[] {
    return [];
  }

  async forward(ctx: ForwardContext, x: Tensor): Promise<Tensor> {
    if (!ctx.training || this.p === 0) return x;
    const attrs = { p: this.p, seed: ctx.nextSeed() };
    const { out } = await ctx.device.run(dropout, { x }, attrs);
    ctx.tape?.record({
      label: `${this.name} (dropout)`,
      inputs: [x],
      output: out,
      saved: [],
      backward: async (dy) => [(await ctx.device.run(dropout, { x: dy }, attrs)).out],
    });
    return out;
  }
}
