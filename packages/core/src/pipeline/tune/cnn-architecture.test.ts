import { describe, expect, it } from 'vitest';
import { cnnLayout } from '../../train/cnn/cnn-parameters.js';
import { SMALL_RESNET_BLOCKS, type CnnBlock } from '../../train/cnn/cnn-spec.js';
import { cnnBlocksForTrial, cnnStagesOf } from './cnn-architecture.js';

const parameterCount = (blocks: readonly CnnBlock[]) =>
  cnnLayout({ inputChannels: 1, height: 28, width: 28, classes: 10, blocks, bnMomentum: 0.1, bnEpsilon: 1e-5 }).parameters.reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0);

describe('cnn architecture keys', () => {
  it('reads a network as stages between its pooling blocks', () => {
    expect(cnnStagesOf(SMALL_RESNET_BLOCKS)).toEqual({ widths: [32, 64, 128], depth: 1, block: 'residual', pool: { kind: 'maxpool', size: 2 } });
    expect(cnnStagesOf([{ kind: 'conv', channels: 8, kernel: 5, stride: 1 }, { kind: 'conv', channels: 16, kernel: 3, stride: 1 }, { kind: 'avgpool', size: 3 }, { kind: 'conv', channels: 24, kernel: 3, stride: 1 }])).toEqual({
      widths: [16, 24],
      depth: 2,
      block: 'conv',
      pool: { kind: 'avgpool', size: 3 },
    });
  });

  it('rebuilds the blocks from the keys a trial gives, keeping the base for the others', () => {
    expect(cnnBlocksForTrial(SMALL_RESNET_BLOCKS, { 'model.cnn.widths': [8, 16], 'model.cnn.depth': 2 })).toEqual([
      { kind: 'residual', channels: 8, stride: 1 },
      { kind: 'residual', channels: 8, stride: 1 },
      { kind: 'maxpool', size: 2 },
      { kind: 'residual', channels: 16, stride: 1 },
      { kind: 'residual', channels: 16, stride: 1 },
    ]);
    expect(cnnBlocksForTrial(SMALL_RESNET_BLOCKS, { 'model.cnn.block': 'conv' })).toEqual([
      { kind: 'conv', channels: 32, kernel: 3, stride: 1 },
      { kind: 'maxpool', size: 2 },
      { kind: 'conv', channels: 64, kernel: 3, stride: 1 },
      { kind: 'maxpool', size: 2 },
      { kind: 'conv', channels: 128, kernel: 3, stride: 1 },
    ]);
    const shallow = cnnBlocksForTrial(SMALL_RESNET_BLOCKS, { 'model.cnn.depth': 1, 'model.cnn.widths': [8, 16] });
    const deep = cnnBlocksForTrial(SMALL_RESNET_BLOCKS, { 'model.cnn.depth': 2, 'model.cnn.widths': [8, 16] });
    // Per stage, a second residual block of w channels adds two 3×3 convolutions and their batch norms.
    expect(parameterCount(deep) - parameterCount(shallow)).toBe(2 * (8 * 8 * 9 + 2 * 8) + 2 * (16 * 16 * 9 + 2 * 16));
  });
});
