import { add } from '../../compute/kernels/add/add.js';
import { matmul } from '../../compute/kernels/matmul/matmul.js';
import { reduce } from '../../compute/kernels/reduce/reduce.js';
import { sizeOf } from '../../compute/shape.js';
import type { Tensor } from '../../compute/tensor.js';
import { onDevice, parameter, uniformValues, type ForwardContext, type Layer, type Parameter } from './layer.js';

/**
 * y = x·W + b over x flattened to [N, in] (ONNX Flatten then Gemm with transB 0): `<name>.weight`
 * [in, out] and `<name>.bias` [out], both U(−1/√in, 1/√in) as PyTorch initialises Linear.
 */
export class LinearLayer implements Layer {
  readonly name: string;
  readonly weight: Parameter;
  readonly bias: Parameter;

  constructor(name: string, inFeatures: number, outFeatures: number, seed = 0) {
    this.name = name;
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = parameter(`${name}.weight`, [inFeatures, outFeatures], uniformValues(inFeatures * outFeatures, bound, seed));
    this.bias = parameter(`${name}.bias`, [outFeatures], uniformValues(outFeatures, bound, seed + 1));
  }

  parameters(): readonly Parameter[] {
    return [this.weight, this.bias];
  }

  async forward(ctx: ForwardContext, x: Tensor): Promise<Tensor> {
    const w = onDevice(ctx, this.weight);
    const b = onDevice(ctx, this.bias);
    const rows = x.shape[0]!;
    const flat = x.reshape([rows, sizeOf(x.shape.slice(1))]);
    const { out: product } = await ctx.device.run(matmul, { a: flat, b: w }, {});
    const { out } = await ctx.device.run(add, { a: product, b }, {});
    product.dispose();
    ctx.tape?.record({
      label: `${this.name} (linear)`,
      inputs: [x],
      output: out,
      saved: [x, w],
      backward: async (dy, [wantsX], grads) => {
        const inputs = x.reshape([rows, sizeOf(x.shape.slice(1))]);
        await grads.add(this.weight.name, (await ctx.device.run(matmul, { a: inputs, b: dy }, { transposeA: true })).out);
        await grads.add(this.bias.name, (await ctx.device.run(reduce, { x: dy }, { op: 'sum', axis: 0 })).out);
        if (!wantsX) return [null];
        const { out: dx } = await ctx.device.run(matmul, { a: dy, b: w }, { transposeB: true });
        return [dx.reshape(x.shape)];
      },
    });
    return out;
  }
}
