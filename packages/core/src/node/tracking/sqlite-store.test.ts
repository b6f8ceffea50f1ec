import Sqlite from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteTrackingStore } from './sqlite-store.js';

const stores: SqliteTrackingStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function openStore(root = mkdtempSync(join(tmpdir(), 'cvf-tracking-'))): SqliteTrackingStore {
  const store = SqliteTrackingStore.open(root);
  stores.push(store);
  return store;
}

describe('runs', () => {
  it('records params, metrics over steps, tags and artifacts, and ends', async () => {
    const store = openStore();
    const run = await store.startRun({ experiment: 'fashion', name: 'hog-mlp', configHash: 'abc', gitSha: 'deadbeef' });
    expect(run).toMatchObject({ experiment: 'fashion', status: 'running', endTime: null, configHash: 'abc', gitSha: 'deadbeef' });
    await store.logParams(run.id, { 'train.lr': 0.001, 'model.hidden': [256] });
    await store.logMetrics(run.id, { loss: 2.3, accuracy: 0.1 }, 0);
    await store.logMetrics(run.id, { loss: 0.4, accuracy: 0.88 }, 1);
    await store.logMetrics(run.id, { 'val.accuracy': 0.8 }, 2);
    await store.logMetrics(run.id, { 'val.accuracy': 0.9 }, 0); // a final evaluation after the epochs
    await store.setTags(run.id, { device: 'webgpu' });
    const artifact = await store.logArtifact(run.id, 'bundle/manifest.json', new TextEncoder().encode('{"a":1}'));
    expect(artifact).toMatchObject({ path: 'bundle/manifest.json', size: 7, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const ended = await store.endRun(run.id, 'finished');
    expect(ended.status).toBe('finished');
    expect(ended.endTime).toBeGreaterThanOrEqual(ended.startTime);

    const details = await store.getRun(run.id);
    expect(details.params).toEqual({ 'model.hidden': [256], 'train.lr': 0.001 });
    expect(details.latestMetrics).toEqual({ accuracy: 0.88, loss: 0.4, 'val.accuracy': 0.9 });
    expect(details.tags).toEqual({ device: 'webgpu' });
    const [overview] = await store.listRunOverviews({ experiment: 'fashion' });
    expect(overview).toMatchObject({ id: run.id, status: 'finished', tags: details.tags, latestMetrics: details.latestMetrics });
    expect(details.artifacts.map((a) => a.path)).toEqual(['bundle/manifest.json']);
    expect((await store.getMetricHistory(run.id, 'loss')).map((m) => [m.step, m.value])).toEqual([
      [0, 2.3],
      [1, 0.4],
    ]);
  });

  it('lists newest first, by experiment, status and parent run', async () => {
    const store = openStore();
    const search = await store.startRun({ experiment: 'tune' });
    const trial1 = await store.startRun({ experiment: 'tune', parentRunId: search.id });
    const trial2 = await store.startRun({ experiment: 'tune', parentRunId: search.id });
    await store.startRun({ experiment: 'other' });
    await store.endRun(trial1.id, 'finished');
    expect((await store.listRuns({ parentRunId: search.id })).map((r) => r.id)).toEqual([trial2.id, trial1.id]);
    expect((await store.listRuns({ experiment: 'tune', status: 'finished' })).map((r) => r.id)).toEqual([trial1.id]);
    expect((await store.listRuns({ limit: 2 })).length).toBe(2);
  });

  it('refuses bad requests with codes and leaves the store as it was', async () => {
    const store = openStore();
    const run = await store.startRun({ experiment: 'e' });
    await expect(store.logMetrics(run.id, { loss: Number.NaN }, 0)).rejects.toMatchObject({ code: 'TRACKING_INVALID', message: expect.stringContaining('"loss" must be a finite number') });
    await expect(store.logMetrics(run.id, { loss: 1, accuracy: Infinity }, 0)).rejects.toMatchObject({ code: 'TRACKING_INVALID' });
    await expect(store.getMetricHistory(run.id)).resolves.toEqual([]);
    await expect(store.logMetrics('nope', { loss: 1 }, 0)).rejects.toMatchObject({ code: 'TRACKING_NOT_FOUND' });
    await expect(store.logArtifact(run.id, '../escape.txt', new Uint8Array(1))).rejects.toMatchObject({ code: 'TRACKING_INVALID' });
    await expect(store.startRun({ experiment: 'bad name!' })).rejects.toMatchObject({ code: 'TRACKING_INVALID' });
    await store.endRun(run.id, 'killed', 'stopped from the studio');
    await expect(store.logMetrics(run.id, { loss: 1 }, 1)).rejects.toMatchObject({ code: 'TRACKING_CONFLICT' });
    expect((await store.getRun(run.id)).failureReason).toBe('stopped from the studio');
  });
});

describe('registry', () => {
  it('numbers versions per model, moves aliases and keeps their history', async () => {
    const store = openStore();
    const run = await store.startRun({ experiment: 'e' });
    const v1 = await store.registerVersion('fashion-mnist', { runId: run.id, bundle: '/b/1', metrics: { accuracy: 0.88 } });
    const v2 = await store.registerVersion('fashion-mnist', { runId: run.id, bundle: '/b/2', metrics: { accuracy: 0.9 } });
    await store.registerVersion('chest-ct', { bundle: '/c/1', metrics: {} });
    expect([v1.version, v2.version]).toEqual([1, 2]);

    await store.setAlias('fashion-mnist', 1, 'production');
    await store.setAlias('fashion-mnist', 2, 'staging');
    await store.setAlias('fashion-mnist', 2, 'production');
    expect((await store.getByAlias('fashion-mnist', 'production'))?.version).toBe(2);
    expect((await store.getVersion('fashion-mnist', 2)).aliases).toEqual(['production', 'staging']);
    expect((await store.getVersion('fashion-mnist', 1)).aliases).toEqual([]);
    expect((await store.aliasHistory('fashion-mnist', 'production')).map((h) => [h.version, h.previousVersion])).toEqual([
      [2, 1],
      [1, null],
    ]);
    expect((await store.listVersions()).map((v) => `${v.name}@${v.version}`)).toEqual(['chest-ct@1', 'fashion-mnist@2', 'fashion-mnist@1']);
    expect((await store.listVersions('fashion-mnist'))[0]!.metrics).toEqual({ accuracy: 0.9 });
  });

  it('refuses unknown versions and bad aliases', async () => {
    const store = openStore();
    await store.registerVersion('m', { bundle: '/b', metrics: {} });
    await expect(store.setAlias('m', 7, 'production')).rejects.toMatchObject({ code: 'TRACKING_NOT_FOUND', message: expect.stringContaining('versions: 1') });
    await expect(store.setAlias('nope', 1, 'production')).rejects.toMatchObject({ code: 'TRACKING_NOT_FOUND' });
    await expect(store.setAlias('m', 1, 'Prod Uction')).rejects.toMatchObject({ code: 'TRACKING_INVALID' });
    expect(await store.getByAlias('m', 'production')).toBeNull();
  });
});

describe('a training process killed with SIGKILL', () => {
  it('leaves a consistent database, and its run is marked failed at the next open', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cvf-crash-'));
    const writer = fileURLToPath(new URL('./testing/crash-writer.ts', import.meta.url));
    // One process (tsx as a loader, not its CLI, which would fork a grandchild that outlives the kill).
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', writer, root], { stdio: ['ignore', 'pipe', 'inherit'] });
    const closed = new Promise((resolve) => child.on('close', resolve));
    let runId = '';
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        runId = /run (\w+)/.exec(output)?.[1] ?? '';
        // Kill it mid-stream, while it is writing as fast as it can.
        if (/step 200\b/.test(output)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited early: ${code}`))));
    });
    await closed;

    const db = new Sqlite(join(root, 'tracking.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Each step's two metrics were one transaction: never one without the other.
    const perStep = db.prepare(`SELECT step, COUNT(*) AS n FROM metrics WHERE run_id = ? GROUP BY step`).all(runId) as { step: number; n: number }[];
    expect(perStep.length).toBeGreaterThan(200);
    expect(perStep.every((s) => s.n === 2)).toBe(true);
    expect(perStep.map((s) => s.step)).toEqual(perStep.map((_, k) => k));
    expect((db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string }).status).toBe('running');
    db.close();

    const store = openStore(root);
    const run = await store.getRun(runId);
    expect(run.status).toBe('failed');
    expect(run.failureReason).toMatch(/ended without ending the run/);
  });
});
