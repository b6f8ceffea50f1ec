import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../errors.js';
import { parsePipelineConfig } from './load.js';

const YAML = `version: 1
name: demo
data:
  source: { kind: idx, images: a.gz, labels: b.gz }
train:
  epochs: 30
`;

function issuesOf(fn: () => unknown): ConfigError['issues'] {
  try {
    fn();
  } catch (error) {
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('--set overrides', () => {
  it('replace values and create missing sections, typed as YAML', () => {
    const config = parsePipelineConfig(YAML, 'demo.yaml', { overrides: ['train.epochs=5', 'model.head=mlp', 'model.hidden=[128, 64]', 'train.optimizer.kind=sgd'] });
    expect(config.train.epochs).toBe(5);
    expect(config.train.optimizer.kind).toBe('sgd');
    expect((config.model as { hidden?: number[] }).hidden).toEqual([128, 64]);
  });

  it('are validated like the file, and their issues point at the --set', () => {
    const issues = issuesOf(() => parsePipelineConfig(YAML, 'demo.yaml', { overrides: ['train.epochs=-2'] }));
    expect(issues).toEqual([{ file: '--set train.epochs=-2', line: 1, column: 14, path: 'train.epochs', message: expect.stringContaining('-2') }]);
  });

  it('reject text that is not path=value', () => {
    expect(issuesOf(() => parsePipelineConfig(YAML, 'demo.yaml', { overrides: ['epochs'] }))[0]!.message).toMatch(/not of the form section\.key=value/);
    expect(issuesOf(() => parsePipelineConfig(YAML, 'demo.yaml', { overrides: ['train..x=1'] }))[0]!.message).toMatch(/not of the form/);
  });
});

describe('--set of a discriminator (model.head, features.kind, index.kind)', () => {
  const MLP = `version: 1
name: demo
data:
  source: { kind: idx, images: a.gz, labels: b.gz }
features:
  kind: hog
  hog: { cellSize: 8, blockSize: 2, bins: 9 }
index: { kind: hnsw, metric: cosine, k: 5, hnsw: { m: 8 } }
model:
  head: mlp
  hidden: [128]
  dropout: 0.2
`;

  it("drops the file's options of the replaced choice", () => {
    const config = parsePipelineConfig(MLP, 'demo.yaml', { overrides: ['model.head=softmax', 'features.kind=pixels', 'index.kind=flat'] });
    expect(config.model).toEqual({ head: 'softmax' });
    expect(config.features.kind).toBe('pixels');
    expect(config.index).toEqual({ kind: 'flat', metric: 'cosine', k: 5 });
  });

  it('keeps the options the new choice shares, and those given by another --set', () => {
    const config = parsePipelineConfig(MLP, 'demo.yaml', { overrides: ['model.head=knn', 'model.knn.k=3'] });
    expect(config.model).toEqual({ head: 'knn', knn: { k: 3, weighting: 'distance' } });
    const issues = issuesOf(() => parsePipelineConfig(MLP, 'demo.yaml', { overrides: ['model.head=softmax', 'model.dropout=0.5'] }));
    expect(issues.map((i) => [i.file, i.path])).toEqual([['--set model.dropout=0.5', 'model.dropout']]);
    expect(issues[0]!.message).toMatch(/dropout/);
  });

  it('an unknown choice is reported with the valid ones, nothing dropped', () => {
    const issues = issuesOf(() => parsePipelineConfig(MLP, 'demo.yaml', { overrides: ['model.head=svm'] }));
    expect(issues[0]!.message).toMatch(/softmax/);
  });
});
