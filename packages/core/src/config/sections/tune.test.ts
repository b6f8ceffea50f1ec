import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../load.js';
import { CONFIG_FILE as FILE, issue, issuesOf } from '../testing/config-issues.js';

const BASE = `version: 1
name: tuned
data:
  source: { kind: idx, images: images.gz, labels: labels.gz }
features: { kind: pixels }
`;

describe('tune: architecture keys and successive halving', () => {
  it('accepts cnn architecture keys beside hyperparameters, with halving rungs defaulting to train.epochs', () => {
    const config = parsePipelineConfig(
      `${BASE}model: { head: cnn }
train: { epochs: 9 }
tune:
  enabled: true
  strategy: successive-halving
  trials: 9
  metric: accuracy
  space:
    train.optimizer.lr: { min: 0.0001, max: 0.01, log: true }
    model.cnn.widths: [[8, 16], [16, 32, 64]]
    model.cnn.depth: [1, 2]
    model.cnn.block: [conv, residual]
`,
      FILE,
    );
    expect(config.tune.strategy).toBe('successive-halving');
    expect(config.tune.halving).toEqual({ minEpochs: 1, eta: 3 });
    expect(config.tune.space['model.cnn.widths']).toEqual([[8, 16], [16, 32, 64]]);
  });

  it('names each bad architecture value by line and column, and the values it takes', () => {
    const text = `${BASE}model: { head: cnn }
tune:
  space:
    model.cnn.widths: [[8, 0], 16]
    model.cnn.depth: { min: 1, max: 3 }
    model.cnn.block: [conv, bottleneck]
`;
    expect(issuesOf(text)).toEqual([
      issue(9, 24, 'tune.space["model.cnn.widths"][0]', 'model.cnn.widths values must each be a list of 1 to 8 stage widths (integers 1..4096), e.g. [16, 32], got [8,0]'),
      issue(9, 32, 'tune.space["model.cnn.widths"][1]', 'model.cnn.widths values must each be a list of 1 to 8 stage widths (integers 1..4096), e.g. [16, 32], got 16'),
      issue(10, 22, 'tune.space["model.cnn.depth"]', 'model.cnn.depth needs a list of values (each blocks per stage, an integer 1..8), got a {min, max} range'),
      issue(11, 29, 'tune.space["model.cnn.block"][1]', 'model.cnn.block values must each be a block kind: conv|residual, got "bottleneck"'),
    ]);
  });

  it('checks mlp hidden sizes, architecture keys against the head, and halving against the epochs and the head', () => {
    const mlp = `${BASE}model: { head: mlp }
train: { epochs: 2 }
tune:
  strategy: successive-halving
  halving: { minEpochs: 3 }
  space:
    model.hidden: [[64, 32], [0]]
    model.cnn.depth: [1, 2]
    train.epochs: [1, 2]
`;
    expect(issuesOf(mlp)).toEqual([
      issue(10, 25, 'tune.halving.minEpochs', "minEpochs must be at most the last rung's epochs (tune.halving.maxEpochs, default train.epochs = 2), got 3"),
      issue(12, 30, 'tune.space["model.hidden"][1]', 'model.hidden values must each be a list of 1 to 32 hidden layer widths (positive integers), e.g. [256, 128], got [0]'),
      issue(13, 22, 'tune.space["model.cnn.depth"]', 'model.cnn.depth shapes a cnn network, and model.head is mlp (use model.head: cnn, or model.hidden for an mlp)'),
      issue(14, 19, 'tune.space["train.epochs"]', 'successive halving sets the epochs of each rung itself (tune.halving); remove train.epochs from the space'),
    ]);
    const knn = `${BASE}model: { head: knn }
tune:
  strategy: successive-halving
  halving: { minEpochs: 1, maxEpochs: 0 }
  space: { index.k: [3, 5] }
`;
    expect(issuesOf(knn)).toEqual([
      issue(8, 13, 'tune.strategy', 'successive halving stops trials between epochs, and the knn head is not trained (choose softmax, mlp or cnn, or strategy grid|random)'),
      issue(9, 39, 'tune.halving.maxEpochs', 'expected a number > 0, got 0'),
    ]);
    const fixmatch = `version: 1
name: tuned
data:
  source: { kind: idx, images: images.gz, labels: labels.gz }
  unlabelled: { kind: idx, images: more.gz }
features: { kind: pixels }
model: { head: cnn }
train: { fixmatch: {} }
tune:
  strategy: successive-halving
  space: { model.cnn.depth: [1, 2] }
`;
    expect(issuesOf(fixmatch)).toEqual([
      issue(10, 13, 'tune.strategy', 'successive halving continues trials from their checkpoints, and train.fixmatch runs cannot be resumed (choose strategy grid|random)'),
    ]);
    expect(issuesOf(knn.replace('{ minEpochs: 1, maxEpochs: 0 }', '{ minEpochs: 3, maxEpochs: 2 }').replace('head: knn', 'head: softmax'))).toEqual([
      issue(9, 39, 'tune.halving.maxEpochs', 'maxEpochs must be at least minEpochs (3), got 2'),
    ]);
  });
});
