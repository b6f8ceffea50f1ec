// A ResNet-18-shaped backbone (He et al. 2016, the torchvision layout) built with the project's
// ONNX graph builder, random He-normal weights: the same convolutions, strides and widths as the
// real network, so its cost is ResNet-18's (1.8 GFLOPs at 224²), not its accuracy. Batch norm is
// folded into each convolution's bias, as an exported inference graph has it.
import { OnnxGraphBuilder, Rng } from '@cvf/core';

/** Its input and output names, for the pipeline's `features.onnx` block. */
export const RESNET18_INPUT = 'pixels';
export const RESNET18_OUTPUT = 'embedding';
export const RESNET18_FEATURES = 512;

export function resnet18Backbone(options: { size: number; seed?: number }): Uint8Array {
  const rng = new Rng(options.seed ?? 18);
  const g = new OnnxGraphBuilder('resnet18-backbone');
  let layer = 0;
  const conv = (x: string, inChannels: number, outChannels: number, kernel: number, stride: number): string => {
    const id = layer++;
    const fanIn = inChannels * kernel * kernel;
    const std = Math.sqrt(2 / fanIn);
    const weights = new Float32Array(outChannels * fanIn);
    for (let i = 0; i < weights.length; i++) weights[i] = rng.normal() * std;
    const w = g.initializer(`conv${id}.w`, weights, [outChannels, inChannels, kernel, kernel]);
    const b = g.initializer(`conv${id}.b`, new Float32Array(outChannels), [outChannels]);
    const pad = Math.floor(kernel / 2);
    return g.conv(x, w, b, { kernelShape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad] });
  };
  const basicBlock = (x: string, inChannels: number, outChannels: number, stride: number): string => {
    const branch = conv(g.relu(conv(x, inChannels, outChannels, 3, stride)), outChannels, outChannels, 3, 1);
    const shortcut = stride === 1 && inChannels === outChannels ? x : conv(x, inChannels, outChannels, 1, stride);
    return g.relu(g.add(branch, shortcut));
  };

  let x = g.input(RESNET18_INPUT, 'float32', ['batch', 3, options.size, options.size]);
  x = g.maxPool(g.relu(conv(x, 3, 64, 7, 2)), { kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
  let channels = 64;
  for (const [width, stride] of [[64, 1], [128, 2], [256, 2], [512, 2]] as const) {
    x = basicBlock(x, channels, width, stride);
    x = basicBlock(x, width, width, 1);
    channels = width;
  }
  g.output(g.flatten(g.globalAveragePool(x), 1), RESNET18_OUTPUT, ['batch', RESNET18_FEATURES]);
  return g.toBytes();
}
