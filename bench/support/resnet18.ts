// ResNet-18 in torchvision's layout from the tape's layers, for the benches that train it
// (bench/layers, bench/cnn's epoch in Node and in the page): nothing here imports Node modules.
import { ActivationLayer, BatchNormLayer, Conv2dLayer, GlobalAveragePoolLayer, LinearLayer, MaxPoolLayer, ResidualBlock, Sequential } from '@cvf/core';

/** ResNet-18 (torchvision's layout: 7×7/2 stem, max pool, 4 stages of 2 basic blocks, global average pool, fc). */
export function resnet18(classes: number): Sequential {
  const blocks = [];
  let cin = 64;
  for (const [stage, [width, stride]] of [[64, 1], [128, 2], [256, 2], [512, 2]].entries()) {
    blocks.push(new ResidualBlock(`layer${stage + 1}.0`, { inChannels: cin, outChannels: width!, stride: stride!, seed: 10 * stage }));
    blocks.push(new ResidualBlock(`layer${stage + 1}.1`, { inChannels: width!, outChannels: width!, seed: 10 * stage + 5 }));
    cin = width!;
  }
  return new Sequential('resnet18', [
    new Conv2dLayer('conv1', { inChannels: 3, outChannels: 64, kernelShape: [7, 7], strides: [2, 2], pads: [3, 3, 3, 3], bias: false, seed: 1 }),
    new BatchNormLayer('bn1', 64),
    new ActivationLayer('relu', 'relu'),
    new MaxPoolLayer('maxpool', { kernelShape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }),
    ...blocks,
    new GlobalAveragePoolLayer('avgpool'),
    new LinearLayer('fc', 512, classes, 2),
  ]);
}
