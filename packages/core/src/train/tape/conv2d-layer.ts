import { conv2dBackwardInput } from '../../compute/kernels/conv2d-backward-input/conv2d-backward-input.js';
import { conv2dBackwardWeight } from '../../compute/kernels/conv2d-backward-weight/conv2d-backward-weight.js';
import { conv2d, type Conv2dAttrs } from '../../compute/kernels/conv2d/conv2d.js';
import { Tensor } from '../../compute/tensor.js';
import { channelSums } from './channel-sums.js';
import { normalValues, onDevice, parameter, type ForwardContext, type Layer, type Parameter } from './layer.js';

export interface Conv2dLayerOptions extends Conv2dAttrs {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelShape: readonly [number, number];
  /** Default true; ResNet's convolutions before batch norm have none. */
  readonly bias?: boolean;
  /** Seed of the weight's He initialisation. */
  readonly seed?: number;
}

/**
 * A convolution layer as ONNX Conv: `<name>.weight` [out, in/group, kH, kW] He-initialised with
 * std √(2 / (out·kH·kW)) (torchvision's ResNet, fan-out), `<name>.bias` [out] zeros.
 */
export class Conv2dLayer implements Layer {
  readonly name: string;
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly attrs: Conv2dAttrs;
  readonly kernelShape: readonly [number, number];
  #zeroBias: Tensor;

  constructor(name: string, options: Conv2dLayerOptions) {
    const { inChannels, outChannels, kernelShape, bias = true, seed = 0, strides, pads, dilations, group = 1 } = options;
    this.name = name;
    this.kernelShape = kernelShape;
    this.attrs = { ...(strides ? { strides } : {}), ...(pads ? { pads } : {}), ...(dilations ? { dilations } : {}), group };
    const [kh, kw] = kernelShape;
    this.weight = parameter(`${name}.weight`, [outChannels, inChannels / group, kh, kw], normalValues((outChannels * inChannels * kh * kw) / group, Math.sqrt(2 / (outChannels * kh * kw)), seed));
    this.bias = bias ? parameter(`${name}.bias`, [outChannels], new Float32Array(outChannels)) : null;
    this.#zeroBias = Tensor.cpu('f32', [outChannels]);
  }

  parameters(): readonly Parameter[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }

  async forward(ctx: ForwardContext, x: Tensor): Promise<Tensor> {
    const w = onDevice(ctx, this.weight);
    const b = this.bias ? onDevice(ctx, this.bias) : (this.#zeroBias = ctx.device.upload(this.#zeroBias));
    const { out } = await ctx.device.run(conv2d, { x, w, b }, this.attrs);
    ctx.tape?.record({
      label: `${this.name} (conv2d)`,
      inputs: [x],
      output: out,
      saved: [x, w],
      backward: async (dy, [wantsX], grads) => {
        const { dw } = await ctx.device.run(conv2dBackwardWeight, { x, dy }, { ...this.attrs, kernelShape: this.kernelShape });
        await grads.add(this.weight.name, dw);
        if (this.bias) await grads.add(this.bias.name, await channelSums(ctx.device, dy));
        if (!wantsX) return [null];
        const { dx } = await ctx.device.run(conv2dBackwardInput, { dy, w }, { ...this.attrs, inputSize: [x.shape[2]!, x.shape[3]!] });
        return [dx];
      },
    });
    return out;
  }
}
