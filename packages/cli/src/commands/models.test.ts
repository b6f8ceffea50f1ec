import { SqliteTrackingStore } from '@cvf/core/node';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

let store: string;
let runId: string;

beforeAll(async () => {
  store = mkdtempSync(join(tmpdir(), 'cvf-models-'));
  const tracking = SqliteTrackingStore.open(store);
  const run = await tracking.startRun({ experiment: 'fashion', name: 'first' });
  runId = run.id;
  await tracking.logMetrics(run.id, { 'val.accuracy': 0.9 }, 0);
  await tracking.endRun(run.id, 'finished');
  await tracking.registerVersion('fashion-mnist', { runId, bundle: '/bundles/1', metrics: { accuracy: 0.89 } });
  await tracking.registerVersion('fashion-mnist', { runId, bundle: '/bundles/2', metrics: { accuracy: 0.9 } });
  tracking.close();
});

it('cvf models list --json prints every version newest first in the documented shape', async () => {
  const { exitCode, stdout } = await runCli('models', 'list', '--json', '--store', store);
  expect(exitCode).toBe(0);
  expect(JSON.parse(stdout)).toEqual([
    { name: 'fashion-mnist', version: 2, aliases: [], runId, bundle: '/bundles/2', bundleDigest: null, metrics: { accuracy: 0.9 } },
    { name: 'fashion-mnist', version: 1, aliases: [], runId, bundle: '/bundles/1', bundleDigest: null, metrics: { accuracy: 0.89 } },
  ]);
});

it('cvf models promote sets an alias that list then shows', async () => {
  expect((await runCli('models', 'promote', 'fashion-mnist', '1', '--alias', 'production', '--store', store)).stdout).toBe('fashion-mnist@1 is now production\n');
  const listed = JSON.parse((await runCli('models', 'list', 'fashion-mnist', '--json', '--store', store)).stdout);
  expect(listed.map((v: { aliases: string[] }) => v.aliases)).toEqual([[], ['production']]);
});

it('promoting a missing version exits 2 with a JSON error naming the versions', async () => {
  const { exitCode, stdout } = await runCli('models', 'promote', 'fashion-mnist', '9', '--alias', 'staging', '--store', store, '--json');
  expect(exitCode).toBe(2);
  expect(JSON.parse(stdout)).toEqual({ error: { code: 'TRACKING_NOT_FOUND', message: expect.stringContaining('versions: 1, 2') } });
});

it('cvf runs list and show report the run', async () => {
  const list = JSON.parse((await runCli('runs', 'list', '--json', '--store', store)).stdout);
  expect(list).toMatchObject([{ id: runId, experiment: 'fashion', name: 'first', status: 'finished' }]);
  const shown = await runCli('runs', 'show', runId, '--store', store);
  expect(shown.stdout).toMatch(/val\.accuracy +0\.9\n/);
  const missing = await runCli('runs', 'show', 'nope', '--store', store, '--json');
  expect(missing.exitCode).toBe(1);
  expect(JSON.parse(missing.stdout).error.code).toBe('TRACKING_NOT_FOUND');
});
