import { RETRAIN_DECISION_ARTIFACT, Rng, type RetrainDecision } from '@cvf/core';
import { SqliteTrackingStore } from '@cvf/core/node';
import { createEdgeServer, createLogger, type EdgeServer } from '@cvf/edge-runtime';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATTERN_CLASSES, patternPipeline, patternPng, writePatternFolders } from '../testing/pattern-images.js';
import { runCli } from '../testing/run-cli.js';

const swapBars = (label: number) => PATTERN_CLASSES[label === 0 ? 1 : label === 1 ? 0 : 2]!;

function lastJsonLine(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

async function servedVersion(server: EdgeServer, label: number): Promise<string> {
  const png = await patternPng(label, new Rng(99));
  const response = await fetch(`${server.url}/v1/models/patterns/predict`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(png) });
  expect(response.status).toBe(200);
  return (await response.json()).model_version;
}

describe('cvf retrain: champion/challenger on the same held-out set, promotion by the selector', () => {
  let dir: string;
  let store: string;
  let server: EdgeServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-retrain-'));
    store = join(dir, '.cvf');
    // The champion learnt from old, mislabelled data: it takes horizontal bands for vertical ones.
    await writePatternFolders(join(dir, 'old'), { perClass: 20, seed: 1, folderOf: swapBars });
    await writePatternFolders(join(dir, 'base'), { perClass: 15, seed: 2 });
    await writePatternFolders(join(dir, 'new'), { perClass: 10, seed: 3 });
    await writePatternFolders(join(dir, 'mislabelled'), { perClass: 40, seed: 4, folderOf: swapBars });
    writeFileSync(join(dir, 'champion.yaml'), patternPipeline({ name: 'patterns-v1', root: 'old', store, model: 'patterns' }));
    writeFileSync(join(dir, 'pipeline.yaml'), patternPipeline({ name: 'patterns', root: 'base', store, model: 'patterns' }));
    const trained = await runCli('train', join(dir, 'champion.yaml'), '--set', 'train.epochs=60', '--json');
    expect(trained.exitCode, trained.stdout + trained.stderr).toBe(0);
    expect(lastJsonLine(trained.stdout).model).toEqual({ name: 'patterns', version: 1 });
    // A running edge server follows patterns@production and reloads when the alias moves.
    server = await createEdgeServer({ models: ['patterns@production'], store, reloadIntervalMs: 50, logger: createLogger({ level: 'error', destination: { write: () => {} } }) });
    expect(await servedVersion(server, 0)).toBe('1');
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('promotes a challenger that is better by the margin and by McNemar on the paired predictions; the edge server then serves it', async () => {
    const result = await runCli('retrain', join(dir, 'pipeline.yaml'), '--model', 'patterns', '--data-add', join(dir, 'new'), '--json');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    // Progress as cvf train shows it, plus the comparison of both models on the held-out set.
    expect(lines.filter((l) => l.type === 'progress').map((l) => l.stage)).toEqual(expect.arrayContaining(['data', 'features', 'train', 'evaluate', 'bundle', 'compare']));
    expect(lines.filter((l) => l.stage === 'data').at(-1).message).toMatch(/\(30 added\)/);
    const decision = lines.at(-1) as RetrainDecision & { test: { evidence: { mcnemar: { b: number; c: number; pValue: number; method: string }; improvement: number } } };
    expect(Object.keys(decision).slice(0, 1)).toEqual(['promoted']);
    expect(decision).toMatchObject({ promoted: true, selected: 'challenger', model: 'patterns', alias: 'production', champion: { version: 1 }, challenger: { version: 2 } });
    expect(decision.test.selector).toEqual({ kind: 'metric', metric: 'accuracy', margin: 0.01, alpha: 0.05 });
    // Both judged on the same held-out images: the config's test split.
    expect(decision.test.samples).toBeGreaterThanOrEqual(12);
    const { mcnemar, improvement } = decision.test.evidence;
    expect(mcnemar.c).toBeGreaterThan(mcnemar.b);
    expect(mcnemar.method).toBe('exact-binomial');
    expect(mcnemar.pValue).toBeLessThan(0.05);
    expect(improvement).toBeCloseTo(decision.challenger.metrics.accuracy! - decision.champion!.metrics.accuracy!, 12);
    expect(decision.challenger.metrics.accuracy).toBeGreaterThan(0.9);

    const registry = SqliteTrackingStore.open(store);
    try {
      expect((await registry.getByAlias('patterns', 'production'))?.version).toBe(2);
      // The decision and its evidence are in the retraining run; the challenger's training run is its child.
      const run = await registry.getRun(decision.runId);
      expect(run.tags).toMatchObject({ decision: 'promoted', selector: 'metric', champion: 'patterns@1', challenger: 'patterns@2' });
      expect(run.latestMetrics['evidence.mcnemar.pValue']).toBeCloseTo(mcnemar.pValue, 12);
      expect(run.latestMetrics['challenger.accuracy']).toBeCloseTo(decision.challenger.metrics.accuracy!, 12);
      expect(JSON.parse(new TextDecoder().decode(await registry.readArtifact(decision.runId, RETRAIN_DECISION_ARTIFACT))).promoted).toBe(true);
      const children = await registry.listRuns({ parentRunId: decision.runId });
      expect(children.map((c) => c.id)).toEqual([decision.challenger.runId]);
    } finally {
      registry.close();
    }
    await server.checkForUpdates();
    expect(server.models()).toEqual([{ name: 'patterns', version: '2' }]);
    expect(await servedVersion(server, 1)).toBe('2');
  });

  it('registers but refuses a worse challenger (trained with mislabelled additions): the alias and the served version stay', async () => {
    const result = await runCli('retrain', join(dir, 'pipeline.yaml'), '--model', 'patterns', '--data-add', join(dir, 'mislabelled'), '--json');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const decision = lastJsonLine(result.stdout) as unknown as RetrainDecision;
    expect(decision).toMatchObject({ promoted: false, selected: 'champion', champion: { version: 2 }, challenger: { version: 3 } });
    expect(decision.reason).toMatch(/not better by the margin/);
    expect(decision.challenger.metrics.accuracy).toBeLessThan(decision.champion!.metrics.accuracy!);
    const registry = SqliteTrackingStore.open(store);
    try {
      expect((await registry.getByAlias('patterns', 'production'))?.version).toBe(2);
      expect((await registry.getVersion('patterns', 3)).aliases).toEqual([]);
      expect((await registry.getRun(decision.runId)).tags.decision).toBe('kept');
    } finally {
      registry.close();
    }
    await server.checkForUpdates();
    expect(await servedVersion(server, 2)).toBe('2');
  });

  it('the rule selector refuses the same worse challenger by the sensitivity it loses on one class, and says which', async () => {
    const result = await runCli('retrain', join(dir, 'pipeline.yaml'), '--model', 'patterns', '--data-add', join(dir, 'mislabelled'), '--set', 'monitor.retrain.selector={kind: rule, maxSensitivityDrop: 0.1}');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^decision +kept patterns@2 at production \(rule selector, champion selected\)$/m);
    expect(result.stdout).toMatch(/^reason +the challenger breaks .*sensitivity of (hbars|vbars) drops by/m);
  });

  it('the ensemble selector keeps the champion when the average does not beat both (the same data trains the same model again)', async () => {
    const result = await runCli('retrain', join(dir, 'pipeline.yaml'), '--model', 'patterns', '--data-add', join(dir, 'new'), '--set', 'monitor.retrain.selector={kind: ensemble, metric: log-loss}');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^decision +kept patterns@2 at production \(ensemble selector, champion selected\)$/m);
    expect(result.stdout).toMatch(/^reason +the averaged model does not beat both members \(log-loss: /m);
    expect(result.stdout).toMatch(/^averaged +accuracy 1\.0000/m);
    const registry = SqliteTrackingStore.open(store);
    try {
      // Only the challenger was registered: no averaged version when it is not selected.
      expect((await registry.listVersions('patterns')).map((v) => v.version)).toEqual([5, 4, 3, 2, 1]);
    } finally {
      registry.close();
    }
  });

  it('with tune.enabled the challenger is the best trial of a search, a child of the retraining run', async () => {
    const result = await runCli('retrain', join(dir, 'pipeline.yaml'), '--model', 'patterns', '--data-add', join(dir, 'new'), '--json', '--set', 'tune={enabled: true, strategy: grid, metric: accuracy, space: {"train.optimizer.lr": [0.0001, 0.02]}}');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const decision = lastJsonLine(result.stdout) as unknown as RetrainDecision;
    const registry = SqliteTrackingStore.open(store);
    try {
      const [search] = await registry.listRuns({ parentRunId: decision.runId });
      expect((await registry.getRun(search!.id)).tags).toMatchObject({ kind: 'tune', role: 'challenger' });
      const trials = await registry.listRuns({ parentRunId: search!.id });
      expect(trials).toHaveLength(2);
      expect(trials.map((t) => t.id)).toContain(decision.challenger.runId);
      expect((await registry.getVersion('patterns', decision.challenger.version)).runId).toBe(decision.challenger.runId);
    } finally {
      registry.close();
    }
  });

  it('refuses a config whose classes the champion does not predict, before training anything', async () => {
    await writePatternFolders(join(dir, 'two'), { perClass: 6, seed: 8, folderOf: (label) => (label === 2 ? 'hbars' : PATTERN_CLASSES[label]!) });
    writeFileSync(join(dir, 'two.yaml'), patternPipeline({ name: 'two', root: 'two', store, model: 'patterns' }));
    const before = await runCli('models', 'list', '--json', '--store', store);
    const result = await runCli('retrain', join(dir, 'two.yaml'), '--model', 'patterns', '--json');
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout).error).toMatchObject({ code: 'RETRAIN_CLASSES_DIFFER', message: expect.stringContaining('[hbars, square, vbars]') });
    expect((await runCli('models', 'list', '--json', '--store', store)).stdout).toBe(before.stdout);
  });

  it('a model with no version at the alias yet: the challenger is registered and promoted as the first to serve', async () => {
    const result = await runCli('retrain', join(dir, 'pipeline.yaml'), '--model', 'fresh', '--json');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const decision = lastJsonLine(result.stdout) as unknown as RetrainDecision;
    expect(decision).toMatchObject({ promoted: true, selected: 'challenger', champion: null, challenger: { version: 1 }, ensemble: null });
    expect(decision.reason).toBe('fresh has no version at alias production: the challenger is the first to serve');
    const registry = SqliteTrackingStore.open(store);
    try {
      expect((await registry.getByAlias('fresh', 'production'))?.version).toBe(1);
    } finally {
      registry.close();
    }
  });

  it('refuses added images of a class the config does not have, naming it; the retraining run ends failed', async () => {
    await writePatternFolders(join(dir, 'unknown-class'), { perClass: 2, seed: 9, folderOf: (label) => (label === 2 ? 'circle' : PATTERN_CLASSES[label]!) });
    const result = await runCli('retrain', join(dir, 'pipeline.yaml'), '--model', 'patterns', '--data-add', join(dir, 'unknown-class'), '--json');
    expect(result.exitCode).toBe(1);
    // Progress lines, then the error as one (indented) JSON document.
    const error = JSON.parse(result.stdout.slice(result.stdout.lastIndexOf('\n{\n') + 1)).error;
    expect(error).toMatchObject({ code: 'DATASET_LABEL_UNKNOWN', message: expect.stringContaining('"circle"') });
    const registry = SqliteTrackingStore.open(store);
    try {
      // The retraining run and its challenger's training run (started within the same millisecond, maybe).
      const latest = await registry.listRuns({ limit: 2 });
      expect(latest.map((r) => `${r.name}: ${r.status}`).sort()).toEqual(['patterns challenger: failed', 'retrain patterns: failed']);
    } finally {
      registry.close();
    }
  });

  it('refuses a model name the registry would not take', async () => {
    const result = await runCli('retrain', join(dir, 'pipeline.yaml'), '--model', '../patterns', '--json');
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout).error).toMatchObject({ code: 'RETRAIN_OPTION_INVALID', message: expect.stringContaining('"../patterns"') });
  });

  it('refuses a --data-add that is not a folder, naming it', async () => {
    const result = await runCli('retrain', join(dir, 'pipeline.yaml'), '--model', 'patterns', '--data-add', join(dir, 'nowhere'), '--json');
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout).error).toMatchObject({ code: 'RETRAIN_OPTION_INVALID', message: expect.stringContaining('nowhere') });
  });
});
