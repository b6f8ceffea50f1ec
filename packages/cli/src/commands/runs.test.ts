import { SqliteTrackingStore } from '@cvf/core/node';
import { requireInCi } from '@cvf/core/testing';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

const FASHION = '/usr/share/datasets/fashion-mnist';
const fashionMissing = requireInCi(`Debian's Fashion-MNIST (dataset-fashion-mnist)`, existsSync(`${FASHION}/t10k-images-idx3-ubyte.gz`) || `no ${FASHION}`);

let store: string;
let trained: string;
let failed: string;

/** A store with a trained-looking run (per-epoch history, an evaluation report, a registered version) and a failed one. */
beforeAll(async () => {
  store = mkdtempSync(join(tmpdir(), 'cvf-runs-'));
  const tracking = SqliteTrackingStore.open(store);
  const run = await tracking.startRun({ experiment: 'garments', name: 'hog-mlp' });
  trained = run.id;
  const losses = [1.2, 0.8, 0.5, 0.41, 0.45];
  for (const [epoch, loss] of losses.entries()) await tracking.logMetrics(run.id, { 'train.loss': loss, 'val.accuracy': 0.6 + epoch * 0.07 }, epoch + 1);
  // As training logs them: epochs at steps 1..n, then the final evaluation at step 0.
  await tracking.logMetrics(run.id, { 'test.accuracy': 0.972222222, 'test.ece': 0.0295309, 'val.accuracy': 0.944444 }, 0);
  const report = { test: { classes: ['bag', 'trouser', 'tshirt'], confusionMatrix: [[11, 1, 0], [0, 12, 0], [0, 0, 12]] } };
  await tracking.logArtifact(run.id, 'evaluation.json', new TextEncoder().encode(JSON.stringify(report)));
  await tracking.setTags(run.id, { note: 'first try with HOG' });
  await tracking.endRun(run.id, 'finished');
  const bundle = join(store, 'bundles', run.id);
  mkdirSync(bundle, { recursive: true });
  await tracking.registerVersion('garments', { runId: run.id, bundle, metrics: { accuracy: 0.9722222222222222, ece: 0.029530933333767, samples: 36 } });
  const broken = await tracking.startRun({ experiment: 'garments' });
  failed = broken.id;
  await tracking.endRun(broken.id, 'failed', 'no images');
  tracking.close();
});

describe('cvf runs list', () => {
  it('shows the key metrics of each run, rounded, and a short id', async () => {
    const { exitCode, stdout } = await runCli('runs', 'list', '--store', store);
    expect(exitCode).toBe(0);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    expect(header).toMatch(/^id +experiment +name +status +started +took +val\.accuracy +test\.accuracy +test\.ece$/);
    const row = rows.find((r) => r.startsWith(trained.slice(0, 8)))!;
    expect(row).toMatch(/ hog-mlp +finished .* 0\.9444 +0\.9722 +0\.02953$/);
    expect(row).not.toContain(trained);
    expect(rows.find((r) => r.startsWith(failed.slice(0, 8)))).toMatch(/failed/);
  });
});

describe('cvf runs show', () => {
  it('takes a unique id prefix and shows the note, the per-epoch history as sparklines and the confusion matrix', async () => {
    const { exitCode, stdout } = await runCli('runs', 'show', trained.slice(0, 6), '--store', store);
    expect(exitCode, stdout).toBe(0);
    expect(stdout).toContain(`run        ${trained}\nname       hog-mlp\nnote       first try with HOG\n`);
    expect(stdout).toMatch(/train\.loss +█▄▂▁▁ +1\.2 → 0\.45 +\(best 0\.41 at step 4\)/);
    // The final evaluation (step 0, logged after the epochs) is not part of the series.
    expect(stdout).toMatch(/val\.accuracy +▁[▂-▇]{3}█ +0\.6 → 0\.88 +\(best 0\.88 at step 5\)/);
    expect(stdout).toContain(['true \\ predicted  bag  trouser  tshirt', '  bag                11        1       0', '  trouser             0       12       0'].join('\n'));
  });

  it('--json carries the metric history and the evaluation report', async () => {
    const shown = JSON.parse((await runCli('runs', 'show', trained, '--store', store, '--json')).stdout);
    expect(shown.history.filter((p: { key: string }) => p.key === 'train.loss').map((p: { value: number }) => p.value)).toEqual([1.2, 0.8, 0.5, 0.41, 0.45]);
    expect(shown.evaluation.test.confusionMatrix[0]).toEqual([11, 1, 0]);
  });

  it('an unknown or empty-matching prefix says so', async () => {
    const missing = await runCli('runs', 'show', 'zz', '--store', store, '--json');
    expect(missing.exitCode).toBe(1);
    expect(JSON.parse(missing.stdout).error).toEqual({ code: 'TRACKING_NOT_FOUND', message: expect.stringContaining('no run with id or id prefix "zz"') });
  });
});

describe('cvf models list', () => {
  it('rounds the metrics', async () => {
    const { stdout } = await runCli('models', 'list', '--store', store);
    expect(stdout).toMatch(/^model +aliases +run +test metrics +bundle\ngarments@1 +\w{8} +accuracy 0\.9722  ece 0\.02953  samples 36 +\//);
  });

  it('an unknown model name is "no model named …" with the models there are', async () => {
    const { exitCode, stdout } = await runCli('models', 'list', 'garmets', '--store', store, '--json');
    expect(exitCode).toBe(1);
    expect(JSON.parse(stdout).error.message).toMatch(/no model named "garmets" in .*; models: garments$/);
    const predicted = await runCli('predict', 'garmets@production', 'scan.png', '--store', store, '--json');
    expect(JSON.parse(predicted.stdout).error.message).toMatch(/no model named "garmets" in .*; models: garments$/);
  });
});

describe('cvf runs delete', () => {
  it('refuses a run behind a registered version unless --force, and deletes by prefix', async () => {
    const refused = await runCli('runs', 'delete', trained.slice(0, 10), '--store', store, '--json');
    expect(refused.exitCode).toBe(2);
    expect(JSON.parse(refused.stdout).error).toEqual({ code: 'TRACKING_CONFLICT', message: expect.stringContaining('registered model garments@1') });
    const deleted = await runCli('runs', 'delete', failed.slice(0, 10), '--store', store);
    expect(deleted.stdout).toBe(`deleted run ${failed}\n`);
    const left = JSON.parse((await runCli('runs', 'list', '--store', store, '--json')).stdout);
    expect(left.map((r: { id: string }) => r.id)).toEqual([trained]);
  });

  it('deletes nothing when one of the ids is unknown', async () => {
    const result = await runCli('runs', 'delete', trained, 'feedfeed', '--force', '--store', store, '--json');
    expect(result.exitCode).toBe(2);
    expect(JSON.parse((await runCli('runs', 'list', '--store', store, '--json')).stdout)).toHaveLength(1);
  });
});

describe.skipIf(fashionMissing)('cvf train --name --note', () => {
  it('names the run and keeps the note, leaving the config hash as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvf-train-name-'));
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      `version: 1
name: tiny
data:
  source: { kind: idx, images: ${FASHION}/t10k-images-idx3-ubyte.gz, labels: ${FASHION}/t10k-labels-idx1-ubyte.gz }
  limit: 200
preprocess: { resize: { height: 28, width: 28 }, color: gray }
features: { kind: hog, hog: { cellSize: 7, blockSize: 2, bins: 9 } }
model: { head: softmax }
train: { epochs: 3, batchSize: 32 }
registry: { register: false }
compute: { device: cpu }
`,
    );
    const storeDir = join(dir, 'store');
    const plain = await runCli('train', join(dir, 'pipeline.yaml'), '--store', storeDir, '--json');
    expect(plain.exitCode, plain.stdout.slice(-500) + plain.stderr).toBe(0);
    const named = await runCli('train', join(dir, 'pipeline.yaml'), '--store', storeDir, '--name', 'baseline', '--note', 'HOG 7px, 3 epochs', '--json');
    expect(named.exitCode, named.stdout.slice(-500) + named.stderr).toBe(0);
    const [latest, first] = JSON.parse((await runCli('runs', 'list', '--store', storeDir, '--json')).stdout);
    expect([latest.name, first.name]).toEqual(['baseline', 'tiny']);
    expect(latest.configHash).toBe(first.configHash);
    const shown = JSON.parse((await runCli('runs', 'show', latest.id, '--store', storeDir, '--json')).stdout);
    expect(shown.tags.note).toBe('HOG 7px, 3 epochs');
    // The store named by --store, not ./.cvf of the working folder.
    expect(existsSync(join(storeDir, 'tracking.db'))).toBe(true);
  });
});
