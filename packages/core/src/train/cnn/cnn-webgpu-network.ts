import type { Device } from '../../compute/device.js';
import { Tensor } from '../../compute/tensor.js';
import { ActivationLayer } from '../tape/activation-layer.js';
import { BatchNormLayer, type BatchNormLayerOptions } from '../tape/batch-norm-layer.js';
import { Conv2dLayer } from '../tape/conv2d-layer.js';
import type { ForwardContext, Layer, Parameter } from '../tape/layer.js';
import { LinearLayer } from '../tape/linear-layer.js';
import { AvgPoolLayer, GlobalAveragePoolLayer, MaxPoolLayer } from '../tape/pool-layers.js';
import { ResidualBlock, type ResidualLayerNames } from '../tape/residual-block.js';
import { Sequential } from '../tape/sequential.js';
import { checkCnnValues, cnnLayout, type CnnLayout, type CnnValues } from './cnn-parameters.js';
import { planCnn, type CnnSpec, type ConvShape } from './cnn-spec.js';

/** The residual block's layers named as the CNN layout names them (`block2.conv1.bn.scale`, `block2.shortcut.weight`, ...). */
const LAYOUT_RESIDUAL_NAMES: ResidualLayerNames = { conv1: 'conv1', bn1: 'conv1.bn', conv2: 'conv2', bn2: 'conv2.bn', shortcutConv: 'shortcut', shortcutBn: 'shortcut.bn' };

/**
 * A `CnnSpec` network as tape layers (train/tape), every parameter and BN running statistic named
 * as the CNN layout (cnn-parameters.ts) names it, so the values of the CPU trainer, its
 * checkpoints and `exportCnnToOnnx` fit it unchanged. BN follows the spec's PyTorch conventions:
 * momentum m becomes ONNX's 1 − m, and the running variance takes the unbiased batch variance.
 */
export class CnnTapeNetwork {
  readonly spec: CnnSpec;
  readonly layout: CnnLayout;
  /** The blocks and the global average pooling: [N, D, 1, 1], the embedding. */
  readonly body: Sequential;
  readonly classifier: LinearLayer;
  readonly #parameters: Map<string, Parameter>;
  readonly #batchNorms: BatchNormLayer[];

  constructor(spec: CnnSpec) {
    const plan = planCnn(spec);
    this.spec = spec;
    this.layout = cnnLayout(spec);
    const batchNorm: BatchNormLayerOptions = { epsilon: spec.bnEpsilon, momentum: 1 - spec.bnMomentum, unbiasedRunningVariance: true };
    const convBnRelu = (shape: ConvShape): Layer[] => [
      new Conv2dLayer(shape.name, { inChannels: shape.inChannels, outChannels: shape.outChannels, kernelShape: [shape.kernel, shape.kernel], strides: [shape.stride, shape.stride], pads: [shape.pad, shape.pad, shape.pad, shape.pad], bias: false }),
      new BatchNormLayer(`${shape.name}.bn`, shape.outChannels, batchNorm),
      new ActivationLayer(`${shape.name}.relu`, 'relu'),
    ];
    const layers = plan.blocks.flatMap((block, b): Layer[] => {
      if (block.kind === 'conv') return convBnRelu(block.conv);
      if (block.kind === 'residual') {
        const { inChannels, outChannels, stride } = block.conv1;
        return [new ResidualBlock(`block${b}`, { inChannels, outChannels, stride, names: LAYOUT_RESIDUAL_NAMES, batchNorm })];
      }
      const attrs = { kernelShape: [block.size, block.size] as const, strides: [block.size, block.size] as const };
      return [block.kind === 'maxpool' ? new MaxPoolLayer(`block${b}.maxpool`, attrs) : new AvgPoolLayer(`block${b}.avgpool`, attrs)];
    });
    this.body = new Sequential('body', [...layers, new GlobalAveragePoolLayer('gap')]);
    this.classifier = new LinearLayer('fc', plan.embeddingDim, spec.classes);
    this.#parameters = new Map([...this.body.parameters(), ...this.classifier.parameters()].map((p) => [p.name, p]));
    this.#batchNorms = batchNormsOf(this.body.layers);
  }

  /** The trainable parameters in the layout's order (the optimizer's and the checkpoint's). */
  parameters(): Parameter[] {
    return this.layout.parameters.map(({ name }) => this.#parameters.get(name)!);
  }

  /** Puts `values` (parameters and running statistics, by layout name) on `device`; returns the parameters in layout order. */
  load(device: Device, values: CnnValues): Tensor[] {
    checkCnnValues(this.spec, values);
    const placed = this.layout.parameters.map(({ name, shape }) => device.upload(Tensor.cpu('f32', shape, values.get(name)!.slice())));
    this.setParameters(placed);
    for (const bn of this.#batchNorms) bn.setRunningStatistics(values.get(bn.runningNames.mean)!, values.get(bn.runningNames.variance)!);
    return placed;
  }

  /** Points the layers at `parameters` (layout order): the optimizer replaces them every step. */
  setParameters(parameters: readonly Tensor[]): void {
    this.parameters().forEach((p, i) => (p.value = parameters[i]!));
  }

  /** Parameters and running statistics read back from `device`, by layout name. */
  async values(device: Device): Promise<Map<string, Float32Array>> {
    const values = new Map<string, Float32Array>();
    for (const p of this.parameters()) values.set(p.name, ((await device.read(p.value)) as Float32Array).slice());
    for (const bn of this.#batchNorms) {
      const { mean, variance } = await bn.runningStatistics(device);
      values.set(bn.runningNames.mean, mean);
      values.set(bn.runningNames.variance, variance);
    }
    return values;
  }

  /**
   * Embedding [N, D] and logits [N, classes] of images [N, C, H, W], recorded on the context's tape
   * when it has one (then both are the tape's); without one both are the caller's, and the
   * embedding is a view of the pooled output that disposing releases.
   */
  async forward(ctx: ForwardContext, images: Tensor): Promise<{ embedding: Tensor; logits: Tensor }> {
    const pooled = await this.body.forward(ctx, images);
    const embedding = pooled.reshape([pooled.shape[0]!, pooled.shape[1]!]);
    const logits = await this.classifier.forward(ctx, pooled);
    return { embedding, logits };
  }
}

function batchNormsOf(layers: readonly Layer[]): BatchNormLayer[] {
  return layers.flatMap((layer) => {
    if (layer instanceof BatchNormLayer) return [layer];
    if (layer instanceof Sequential) return batchNormsOf(layer.layers);
    if (layer instanceof ResidualBlock) return batchNormsOf([layer.main, ...(layer.shortcut ? [layer.shortcut] : [])]);
    return [];
  });
}
