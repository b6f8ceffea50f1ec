import { Rng, type RetrainDecision } from '@cvf/core';
import { SqliteTrackingStore } from '@cvf/core/node';
import { createEdgeServer, createLogger, type EdgeServer } from '@cvf/edge-runtime';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternPipeline, patternPng, writePatternFolders } from '../testing/pattern-images.js';
import { runCli } from '../testing/run-cli.js';

// Very noisy patterns (σ = 200 on a 40..200 pattern): two models of the raw pixels (PCA to 8 and to 4
// components, different seeds) err on different images, and their average beats both.
const NOISE = 200;

describe('cvf retrain with the ensemble selector', () => {
  let dir: string;
  let store: string;
  let server: EdgeServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-retrain-ensemble-'));
    store = join(dir, '.cvf');
    await writePatternFolders(join(dir, 'images'), { perClass: 30, seed: 5, noise: NOISE });
    // Champion: pixels → PCA-8; challenger: pixels → PCA-4, another seed.
    writeFileSync(join(dir, 'champion.yaml'), patternPipeline({ name: 'noisy-pca8', root: 'images', store, model: 'noisy', features: '{ kind: pixels }' }));
    const challenger = patternPipeline({ name: 'noisy-pca4', root: 'images', store, model: 'noisy', features: '{ kind: pixels }', extra: 'monitor: { retrain: { selector: { kind: ensemble, metric: log-loss } } }\n' });
    writeFileSync(join(dir, 'challenger.yaml'), challenger.replace('components: 8', 'components: 4').replace('seed: 1 }', 'seed: 7 }'));
    const trained = await runCli('train', join(dir, 'champion.yaml'), '--json');
    expect(trained.exitCode, trained.stdout + trained.stderr).toBe(0);
    server = await createEdgeServer({ models: ['noisy@production'], store, reloadIntervalMs: 50, logger: createLogger({ level: 'error', destination: { write: () => {} } }) });
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('registers the averaged champion+challenger as its own version when it beats both, promotes it, and every server serves the average', async () => {
    const result = await runCli('retrain', join(dir, 'challenger.yaml'), '--model', 'noisy', '--json');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const decision = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as RetrainDecision;
    expect(decision).toMatchObject({ promoted: true, selected: 'ensemble', champion: { version: 1 }, challenger: { version: 2 }, ensemble: { version: 3, runId: decision.runId } });
    const evidence = decision.test.evidence as { metric: string; champion: number; challenger: number; ensemble: number };
    expect(evidence.metric).toBe('log-loss');
    expect(evidence.ensemble).toBeLessThan(Math.min(evidence.champion, evidence.challenger));
    expect(decision.ensemble!.metrics['log-loss']).toBeCloseTo(evidence.ensemble, 12);
    const registry = SqliteTrackingStore.open(store);
    try {
      expect((await registry.getByAlias('noisy', 'production'))?.version).toBe(3);
    } finally {
      registry.close();
    }
    // The edge server following noisy@production reloads the averaged bundle ...
    await server.checkForUpdates();
    expect(server.models()).toEqual([{ name: 'noisy', version: '3' }]);
    const png = await patternPng(1, new Rng(31), NOISE);
    const response = await fetch(`${server.url}/v1/models/noisy/predict`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(png) });
    expect(response.status).toBe(200);
    const served = await response.json();
    expect(served.model_version).toBe('3');
    // ... and answers the average of what the two members answer on their own (cvf predict by version).
    const file = join(dir, 'probe.png');
    writeFileSync(file, png);
    const probabilities: number[][] = [];
    // One at a time: runCli captures the process's stdout.
    for (const version of [1, 2, 3]) probabilities.push(JSON.parse((await runCli('predict', `noisy@${version}`, file, '--json', '--store', store)).stdout)[0].probabilities);
    const [champion, challenger, averaged] = probabilities;
    averaged!.forEach((p, c) => expect(p).toBeCloseTo((champion![c]! + challenger![c]!) / 2, 6));
    (served.predictions[0].probabilities as number[]).forEach((p, c) => expect(p).toBeCloseTo(averaged![c]!, 5));
    // Exported as one .tar for an edge box, the member travels inside it and is averaged in the same way.
    const tar = join(dir, 'noisy.tar');
    expect((await runCli('models', 'export', 'noisy@3', tar, '--store', store)).exitCode).toBe(0);
    const fromTar = JSON.parse((await runCli('predict', tar, file, '--json')).stdout)[0].probabilities as number[];
    fromTar.forEach((p, c) => expect(p).toBeCloseTo(averaged![c]!, 6));
  });
});
