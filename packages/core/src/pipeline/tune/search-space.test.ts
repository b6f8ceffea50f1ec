import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../config/load.js';
import { loadPipelineConfigFile } from '../../node/config-file.js';
import { applyPoint, searchPoints } from './search-space.js';

const config = (tune: string) =>
  parsePipelineConfig(
    `version: 1
name: s
data:
  source: { kind: idx, images: a.gz, labels: b.gz }
preprocess: { resize: { height: 16, width: 16 } }
features: { kind: pixels }
model: { head: cnn, cnn: { blocks: [{ kind: conv, channels: 4 }, { kind: maxpool }, { kind: residual, channels: 8 }] } }
tune:
${tune}`,
    'p.yaml',
  );

describe('search points', () => {
  it('successive halving draws distinct points, as many as a small space has', () => {
    const small = config('  strategy: successive-halving\n  trials: 10\n  space: { model.cnn.depth: [1, 2], model.cnn.block: [conv, residual] }\n');
    const points = searchPoints(small.tune, 3);
    expect(points).toHaveLength(4);
    expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(4);
    expect(searchPoints(small.tune, 3)).toEqual(points);
    // Random search keeps drawing with repeats, as before.
    expect(searchPoints({ ...small.tune, strategy: 'random' }, 3)).toHaveLength(10);
  });

  it('builds a trial network from the architecture keys, and refuses one that pools its input away', () => {
    const base = config('  space: { model.cnn.widths: [[4, 8, 8, 8, 8]] }\n');
    const trial = applyPoint(base, { 'model.cnn.widths': [6, 12], 'model.cnn.depth': 2, 'train.optimizer.lr': 0.01 });
    expect(trial.model.head === 'cnn' && trial.model.cnn.blocks).toEqual([
      { kind: 'residual', channels: 6, stride: 1 },
      { kind: 'residual', channels: 6, stride: 1 },
      { kind: 'maxpool', size: 2 },
      { kind: 'residual', channels: 12, stride: 1 },
      { kind: 'residual', channels: 12, stride: 1 },
    ]);
    expect(trial.train.optimizer.lr).toBe(0.01);
    // 16 → 8 → 4 → 2 → 1 → nothing: the fifth stage's pooling has no room.
    expect(() => applyPoint(base, { 'model.cnn.widths': [4, 8, 8, 8, 8, 8] })).toThrow(/does not fit the 16×16 input: cnn block \d+ \(maxpool\) window 2 is larger than its 1×1 input/);
  });

  it('configs/fashion-mnist/cnn-search.yaml: nine trials, each a network of the drawn stages that fits 28×28', async () => {
    const config = await loadPipelineConfigFile(fileURLToPath(new URL('../../../../../configs/fashion-mnist/cnn-search.yaml', import.meta.url)));
    const points = searchPoints(config.tune, config.train.seed);
    expect(points).toHaveLength(9);
    for (const point of points) {
      const { model } = applyPoint(config, point);
      const blocks = model.head === 'cnn' ? model.cnn.blocks : [];
      const widths = point['model.cnn.widths'] as number[];
      expect(blocks.filter((b) => b.kind === 'maxpool')).toHaveLength(widths.length - 1);
      expect(blocks.filter((b) => b.kind === point['model.cnn.block'])).toHaveLength(widths.length * (point['model.cnn.depth'] as number));
    }
  });
});
