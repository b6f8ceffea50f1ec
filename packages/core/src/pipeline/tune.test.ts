import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import { Rng } from '../compute/random.js';
import { parsePipelineConfig } from '../config/load.js';
import { createOrtNodeRuntime } from '../node/ort-node.js';
import { idxBytes, PATTERN_SHAPES, patternPixels } from '../node/testing/patterns.js';
import { SqliteTrackingStore } from '../node/tracking/sqlite-store.js';
import { decodeCnnCheckpoint } from '../train/cnn/cnn-checkpoint.js';
import { cnnLayout } from '../train/cnn/cnn-parameters.js';
import { CHECKPOINT_ARTIFACT } from './train-pipeline.js';
import { runTuning } from './tune.js';
import { HALVING_TAG } from './tune/successive-halving.js';
import { idxTrainingEnvironment } from '../node/testing/idx-training-environment.js';

// Successive halving over a tiny cnn (8×8 noisy shapes, 4 and 8 channels): 4 trials of depth 1 or
// 2 and two learning rates, η 2 — rungs of 4 × 1 epoch, 2 × 2 epochs, 1 × 4 epochs.

const SIZE = 8;
const IMAGES = 84;
let dir: string;
let store: SqliteTrackingStore;
const runtime = await createOrtNodeRuntime();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-tune-'));
  const rng = new Rng(5);
  const pixels = new Uint8Array(IMAGES * SIZE * SIZE);
  const labels = Uint8Array.from({ length: IMAGES }, (_, i) => i % PATTERN_SHAPES.length);
  labels.forEach((label, i) => pixels.set(patternPixels(PATTERN_SHAPES[label]!, rng, { size: SIZE, noise: 70 }), i * SIZE * SIZE));
  writeFileSync(join(dir, 'images.idx'), idxBytes([IMAGES, SIZE, SIZE], pixels));
  writeFileSync(join(dir, 'labels.idx'), idxBytes([IMAGES], labels));
  store = SqliteTrackingStore.open(join(dir, '.cvf'));
});
afterAll(() => store?.close());

const CONFIG = `version: 1
name: halving
data:
  source: { kind: idx, images: images.idx, labels: labels.idx }
  classes: [horizontal, vertical, square]
  splits: { train: 0.5, val: 0.35, test: 0.15, seed: 1 }
preprocess: { resize: { height: ${SIZE}, width: ${SIZE} }, color: gray, normalize: { mean: [0.4], std: [0.3] } }
features: { kind: pixels }
model:
  head: cnn
  cnn: { blocks: [{ kind: conv, channels: 4 }, { kind: maxpool }, { kind: conv, channels: 8 }], threads: 1 }
train: { epochs: 20, batchSize: 16, schedule: { kind: constant }, earlyStopping: { enabled: false }, seed: 7 }
evaluate: { metrics: [accuracy] }
index: { kind: flat, metric: cosine, k: 3 }
registry: { register: true, modelName: halving }
compute: { device: cpu }
tune:
  enabled: true
  strategy: successive-halving
  trials: 4
  halving: { minEpochs: 1, maxEpochs: 4, eta: 2 }
  space:
    train.optimizer.lr: [0.003, 0.03]
    model.cnn.depth: [1, 2]
`;

describe('tune: successive halving over architecture keys', () => {
  it('trains every trial a rung, continues the best half from its checkpoint, records the stopped ones and registers the winner', { timeout: 120_000 }, async () => {
    const config = parsePipelineConfig(CONFIG, join(dir, 'halving.yaml'));
    const search = () => runTuning(config, {
      device: new CpuDevice(),
      onnxRuntime: runtime,
      ...idxTrainingEnvironment(dir, store),
    });
    const summary = await search();

    // Rungs: exactly 4, 2, 1 trials; each keeps the best by val loss (lowest), ties in trial order.
    const rungs = summary.rungs!;
    expect(rungs.map((r) => [r.trials, r.epochs, r.runs.length, r.kept.length])).toEqual([[4, 1, 4, 2], [2, 2, 2, 1], [1, 4, 1, 1]]);
    for (const rung of rungs) {
      const byLoss = [...rung.runs].sort((a, b) => a.value! - b.value! || a.trial - b.trial).map((r) => r.trial);
      expect(rung.kept).toEqual(byLoss.slice(0, rung.kept.length));
    }
    expect(rungs[1]!.runs.map((r) => r.trial)).toEqual([...rungs[0]!.kept].sort());
    const winner = rungs[2]!.kept[0]!;
    expect(summary.trials.map((t) => [t.epochs, t.stoppedEarly])).toEqual(summary.trials.map((t, k) => (k === winner ? [4, false] : rungs[1]!.kept.includes(k) ? [4, false] : rungs[0]!.kept.includes(k) ? [2, true] : [1, true])));
    expect(summary.bestRunId).toBe(rungs[2]!.runs[0]!.runId);
    expect(summary.bestParams).toEqual(summary.trials[winner]!.params);
    // Four distinct points: a small space is searched without repeats.
    expect(new Set(summary.trials.map((t) => JSON.stringify(t.params))).size).toBe(4);

    // The store: every rung run is a child of the search; stopped ones say where and on what they stopped.
    const children = await store.listRuns({ parentRunId: summary.runId });
    expect(children).toHaveLength(4 + 2 + 1);
    for (const rung of rungs.slice(0, 2)) {
      for (const run of rung.runs.filter((r) => !rung.kept.includes(r.trial))) {
        const { tags } = await store.getRun(run.runId);
        expect(tags).toMatchObject({ halving: HALVING_TAG.stoppedEarly, stoppedEpoch: String(rung.epochs), stoppedMetric: 'loss', stoppedValue: String(run.value), trial: String(run.trial) });
      }
    }
    const best = await store.getRun(summary.bestRunId);
    expect(best.name).toBe(`halving trial ${winner} (4 epochs)`);
    expect(best.tags).toMatchObject({ halving: HALVING_TAG.winner, rung: '2', epochs: '4', resumedFrom: rungs[1]!.runs.find((r) => r.trial === winner)!.runId });
    const [model] = await store.listVersions('halving');
    expect(model).toMatchObject({ version: 1, runId: summary.bestRunId });

    // The winner continued: its checkpoint has 4 epochs of history, and its first rung's 1.
    const checkpointOf = async (runId: string) => decodeCnnCheckpoint(await store.readArtifact(runId, CHECKPOINT_ARTIFACT));
    expect((await checkpointOf(summary.bestRunId)).history).toHaveLength(4);
    // The architecture keys reached the trainer: depth 2 stages hold twice the blocks, and more parameters.
    const firstRung = await Promise.all(rungs[0]!.runs.map(async (r) => ({ depth: summary.trials[r.trial]!.params['model.cnn.depth'], checkpoint: await checkpointOf(r.runId) })));
    expect(new Set(firstRung.map((t) => t.depth))).toEqual(new Set([1, 2]));
    for (const { depth, checkpoint } of firstRung) {
      expect(checkpoint.history).toHaveLength(1);
      expect(checkpoint.spec.blocks.map((b) => b.kind)).toEqual(depth === 1 ? ['conv', 'maxpool', 'conv'] : ['conv', 'conv', 'maxpool', 'conv', 'conv']);
    }
    const parameters = (depth: number) => {
      const { spec } = firstRung.find((t) => t.depth === depth)!.checkpoint;
      return cnnLayout(spec).parameters.reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0);
    };
    expect(parameters(2) - parameters(1)).toBe(4 * 4 * 9 + 2 * 4 + (8 * 8 * 9 + 2 * 8));

    // Deterministic under the seed: the same points, the same scores, the same cuts and winner.
    const again = await search();
    expect(again.rungs!.map((r) => [r.runs.map((x) => [x.trial, x.value]), r.kept])).toEqual(rungs.map((r) => [r.runs.map((x) => [x.trial, x.value]), r.kept]));
    expect(again.bestParams).toEqual(summary.bestParams);
  });
});
