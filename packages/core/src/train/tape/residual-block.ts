import { add } from '../../compute/kernels/add/add.js';
import { scale } from '../../compute/kernels/scale/scale.js';
import type { Tensor } from '../../compute/tensor.js';
import { ActivationLayer } from './activation-layer.js';
import { BatchNormLayer, type BatchNormLayerOptions } from './batch-norm-layer.js';
import { Conv2dLayer } from './conv2d-layer.js';
import type { ForwardContext, Layer, Parameter } from './layer.js';
import { Sequential } from './sequential.js';

export interface ResidualBlockOptions {
  readonly inChannels: number;
  readonly outChannels: number;
  /** Stride of the first convolution and of the projection shortcut (default 1). */
  readonly stride?: number;
  readonly seed?: number;
  /** Names of its layers under the block's name (default torchvision's, `TORCHVISION_RESIDUAL_NAMES`). */
  readonly names?: ResidualLayerNames;
  /** Options of its batch normalisations (default BatchNormLayer's). */
  readonly batchNorm?: BatchNormLayerOptions;
}

/** The block's layer names, each under the block's name (`<block>.<conv1>.weight`, `<block>.<bn1>.scale`, ...). */
export interface ResidualLayerNames {
  readonly conv1: string;
  readonly bn1: string;
  readonly conv2: string;
  readonly bn2: string;
  readonly shortcutConv: string;
  readonly shortcutBn: string;
}

export const TORCHVISION_RESIDUAL_NAMES: ResidualLayerNames = { conv1: 'conv1', bn1: 'bn1', conv2: 'conv2', bn2: 'bn2', shortcutConv: 'downsample.0', shortcutBn: 'downsample.1' };

/**
 * ResNet's basic block (He et al. 2016), with torchvision's parameter names:
 *   relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)),
 * 3×3 convolutions without bias; the shortcut is x itself, or `downsample.0` (1×1 convolution with
 * the block's stride) and `downsample.1` (batch norm) where the shape changes. `names` renames the
 * layers (the CNN trainer's layout calls them conv1, conv1.bn, ..., shortcut, shortcut.bn).
 */
export class ResidualBlock implements Layer {
  readonly name: string;
  readonly main: Sequential;
  readonly shortcut: Sequential | null;
  readonly #relu: ActivationLayer;

  constructor(name: string, { inChannels, outChannels, stride = 1, seed = 0, names = TORCHVISION_RESIDUAL_NAMES, batchNorm = {} }: ResidualBlockOptions) {
    this.name = name;
    const conv = (suffix: string, cin: number, s: number, k: number, offset: number) =>
      new Conv2dLayer(`${name}.${suffix}`, { inChannels: cin, outChannels, kernelShape: [k, k], strides: [s, s], pads: k === 3 ? [1, 1, 1, 1] : [0, 0, 0, 0], bias: false, seed: seed + offset });
    this.main = new Sequential(name, [
      conv(names.conv1, inChannels, stride, 3, 0),
      new BatchNormLayer(`${name}.${names.bn1}`, outChannels, batchNorm),
      new ActivationLayer(`${name}.relu1`, 'relu'),
      conv(names.conv2, outChannels, 1, 3, 1),
      new BatchNormLayer(`${name}.${names.bn2}`, outChannels, batchNorm),
    ]);
    this.shortcut =
      stride !== 1 || inChannels !== outChannels
        ? new Sequential(`${name}.downsample`, [conv(names.shortcutConv, inChannels, stride, 1, 2), new BatchNormLayer(`${name}.${names.shortcutBn}`, outChannels, batchNorm)])
        : null;
    this.#relu = new ActivationLayer(`${name}.relu2`, 'relu');
  }

  parameters(): readonly Parameter[] {
    return [...this.main.parameters(), ...(this.shortcut?.parameters() ?? [])];
  }

  async forward(ctx: ForwardContext, x: Tensor): Promise<Tensor> {
    const main = await this.main.forward(ctx, x);
    const shortcut = this.shortcut ? await this.shortcut.forward(ctx, x) : x;
    const { out: sum } = await ctx.device.run(add, { a: main, b: shortcut }, {});
    ctx.tape?.record({
      label: `${this.name} (residual add)`,
      inputs: [main, shortcut],
      output: sum,
      saved: [],
      // d(a + b) = dy to both; the second gets a copy, since each gradient is released on its own.
      backward: async (dy) => [dy, (await ctx.device.run(scale, { x: dy }, { alpha: 1 })).out],
    });
    if (!ctx.tape) {
      main.dispose();
      if (shortcut !== x) shortcut.dispose();
    }
    const out = await this.#relu.forward(ctx, sum);
    if (!ctx.tape) sum.dispose();
    return out;
  }
}
