import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteTrackingStore } from './sqlite-store.js';

const stores: SqliteTrackingStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function openStore(): SqliteTrackingStore {
  const store = SqliteTrackingStore.open(mkdtempSync(join(tmpdir(), 'cvf-delete-')));
  stores.push(store);
  return store;
}

/** A finished run with a metric, a tag, an artifact and a bundle folder where training writes one. */
async function finishedRun(store: SqliteTrackingStore) {
  const run = await store.startRun({ experiment: 'e', name: 'r' });
  await store.logParams(run.id, { lr: 0.1 });
  await store.logMetrics(run.id, { loss: 1 }, 0);
  await store.setTags(run.id, { note: 'first try' });
  await store.logArtifact(run.id, 'evaluation.json', new TextEncoder().encode('{}'));
  const bundle = join(store.root, 'bundles', run.id);
  mkdirSync(bundle, { recursive: true });
  writeFileSync(join(bundle, 'manifest.json'), '{}');
  await store.endRun(run.id, 'finished');
  return { id: run.id, bundle };
}

describe('deleting a run', () => {
  it('removes its rows, its artifacts and its bundle folder; its child runs stay without a parent', async () => {
    const store = openStore();
    const { id, bundle } = await finishedRun(store);
    const child = await store.startRun({ experiment: 'e', parentRunId: id });
    await store.deleteRun(id);
    await expect(store.getRun(id)).rejects.toMatchObject({ code: 'TRACKING_NOT_FOUND' });
    expect(existsSync(join(store.root, 'artifacts', id))).toBe(false);
    expect(existsSync(bundle)).toBe(false);
    expect((await store.getRun(child.id)).parentRunId).toBeNull();
    expect((await store.listRuns()).map((r) => r.id)).toEqual([child.id]);
  });

  it('refuses a running run unless forced', async () => {
    const store = openStore();
    const run = await store.startRun({ experiment: 'e' });
    await expect(store.deleteRun(run.id)).rejects.toMatchObject({ code: 'TRACKING_CONFLICT', message: expect.stringContaining(`run ${run.id} is running`) });
    expect((await store.getRun(run.id)).status).toBe('running');
    await store.deleteRun(run.id, { force: true });
    expect(await store.listRuns()).toEqual([]);
  });

  it('refuses a run behind a registered version unless forced; forced, the version and its bundle stay', async () => {
    const store = openStore();
    const { id, bundle } = await finishedRun(store);
    await store.registerVersion('garments', { runId: id, bundle, metrics: {} });
    await expect(store.deleteRun(id)).rejects.toMatchObject({ code: 'TRACKING_CONFLICT', message: expect.stringContaining('registered model garments@1') });
    await store.deleteRun(id, { force: true });
    expect(await store.getVersion('garments', 1)).toMatchObject({ runId: null, bundle });
    expect(existsSync(join(bundle, 'manifest.json'))).toBe(true);
  });

  it('says which run is unknown', async () => {
    await expect(openStore().deleteRun('feed')).rejects.toMatchObject({ code: 'TRACKING_NOT_FOUND', message: expect.stringContaining('"feed"') });
  });
});

describe('finding a run by an id prefix', () => {
  it('takes the whole id or a unique prefix, and refuses none or several with the candidates', async () => {
    const store = openStore();
    const runs = await Promise.all(Array.from({ length: 40 }, () => store.startRun({ experiment: 'e' })));
    const [first] = runs;
    expect(await store.resolveRunId(first!.id)).toBe(first!.id);
    // The shortest prefix no other id shares.
    const unique = Array.from({ length: 32 }, (_, n) => first!.id.slice(0, n + 1)).find((p) => runs.filter((r) => r.id.startsWith(p)).length === 1)!;
    expect(await store.resolveRunId(unique)).toBe(first!.id);
    // One hex digit is shared by several of 40 random ids (all but certainly: 16 possible digits).
    const shared = '0123456789abcdef'.split('').find((d) => runs.filter((r) => r.id.startsWith(d)).length > 1)!;
    await expect(store.resolveRunId(shared)).rejects.toMatchObject({ code: 'TRACKING_INVALID', message: expect.stringContaining('matches several runs') });
    await expect(store.resolveRunId('zz')).rejects.toMatchObject({ code: 'TRACKING_NOT_FOUND', message: expect.stringContaining('"zz"') });
    await expect(store.resolveRunId('%')).rejects.toMatchObject({ code: 'TRACKING_NOT_FOUND' });
  });
});

describe('an unknown model', () => {
  it('is "no model named …" with the models there are', async () => {
    const store = openStore();
    await expect(store.getVersion('garments', 1)).rejects.toMatchObject({ message: expect.stringContaining('no model is registered there yet') });
    await store.registerVersion('chest-ct', { bundle: '/b', metrics: {} });
    await store.registerVersion('garments', { bundle: '/b', metrics: {} });
    await expect(store.setAlias('garmets', 1, 'production')).rejects.toMatchObject({ code: 'TRACKING_NOT_FOUND', message: expect.stringMatching(/no model named "garmets" in .*; models: chest-ct, garments$/) });
    expect(await store.listModelNames()).toEqual(['chest-ct', 'garments']);
  });
});
