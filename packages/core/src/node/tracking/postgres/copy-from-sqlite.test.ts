import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable, startPostgres, type PostgresServer } from '../../testing/postgres.js';
import { SqliteTrackingStore } from '../sqlite-store.js';
import type { TrackingStore } from '../tracking-store.js';
import { copySqliteStoreToPostgres } from './copy-from-sqlite.js';
import { PostgresTrackingStore } from './postgres-store.js';

/** A SQLite store with one of everything: runs (a child, an ended one, a running one), files, versions, aliases, events, labels. */
async function filledSqliteStore(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'cvf-copy-from-'));
  const store = SqliteTrackingStore.open(root);
  const search = await store.startRun({ experiment: 'tune', name: 'search', configHash: 'c1', gitSha: 'g1' });
  const trial = await store.startRun({ experiment: 'tune', parentRunId: search.id });
  await store.logParams(trial.id, { lr: 0.01, hidden: [64, 32] });
  await store.logMetrics(trial.id, { loss: 1.5, accuracy: 0.4 }, 0);
  await store.logMetrics(trial.id, { loss: 0.5, accuracy: 0.8 }, 1);
  await store.logMetrics(trial.id, { 'val.accuracy': 0.7 }, 1);
  await store.logMetrics(trial.id, { 'val.accuracy': 0.75 }, 0); // the final evaluation, written last at step 0
  await store.setTags(trial.id, { device: 'cpu' });
  await store.logArtifact(trial.id, 'reports/evaluation.json', new TextEncoder().encode('{"accuracy":0.75}'));
  const bundle = join(root, 'bundles', trial.id);
  mkdirSync(bundle, { recursive: true });
  writeFileSync(join(bundle, 'manifest.json'), '{"schema":1}');
  await store.endRun(trial.id, 'finished');
  await store.endRun(search.id, 'failed', 'out of memory');
  await store.startRun({ experiment: 'other' });
  await store.registerVersion('garments', { runId: trial.id, bundle, metrics: { accuracy: 0.75 }, configHash: 'c1', bundleDigest: 'd1' });
  await store.registerVersion('garments', { bundle: '/elsewhere/bundle.tar', metrics: {} });
  await store.setAlias('garments', 1, 'production');
  await store.setAlias('garments', 2, 'production');
  await store.setAlias('garments', 1, 'staging');
  const event = await store.recordMonitorEvent({ kind: 'drift', trigger: 'drift', model: 'garments', version: '2', action: 'retrain', figures: { statistic: 0.3 } });
  await store.setMonitorEventOutcome(event.id, { retrained: true });
  await store.recordMonitorEvent({ kind: 'time', trigger: 'nightly', model: null, version: null, action: 'drift-check', figures: {} });
  await store.recordFeedback([
    { predictionId: 'p1', model: 'garments', version: '2', predicted: 'shirt', label: 'shirt', time: 1 },
    { predictionId: 'p2', model: 'garments', version: '2', predicted: 'shirt', label: 'coat', time: 2 },
  ]);
  store.close();
  return root;
}

/** Everything a store answers through its interface, with paths under its file folder made relative. */
async function contents(store: TrackingStore) {
  const local = (path: string) => path.replace(store.root, '<root>');
  const runs = await store.listRuns();
  return {
    experiments: (await store.listExperiments()).map((e) => [e.name, e.createdAt]),
    runs,
    details: await Promise.all(runs.map((r) => store.getRun(r.id))),
    histories: await Promise.all(runs.map((r) => store.getMetricHistory(r.id))),
    artifacts: await Promise.all(runs.map(async (r) => Promise.all((await store.getRun(r.id)).artifacts.map(async (a) => Buffer.from(await store.readArtifact(r.id, a.path)).toString())))),
    versions: (await store.listVersions()).map((v) => ({ ...v, bundle: local(v.bundle) })),
    production: (await store.getByAlias('garments', 'production'))?.version,
    history: await store.aliasHistory('garments'),
    events: (await store.listMonitorEvents()).map(({ id: _id, ...event }) => event),
    feedback: await store.recentFeedback('garments', 10),
  };
}

describe.skipIf(postgresUnavailable())('copying a SQLite store into PostgreSQL', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('copies every record and file, and a second copy adds nothing', async () => {
    const from = await filledSqliteStore();
    const files = mkdtempSync(join(tmpdir(), 'cvf-copy-to-'));
    const to = `${await server.createSchema()}&artifacts=${encodeURIComponent(files)}`;
    const first = await copySqliteStoreToPostgres(from, to);
    expect(first).toEqual({ experiments: 2, runs: 3, params: 2, metrics: 6, tags: 1, artifacts: 1, models: 1, versions: 2, aliases: 2, aliasChanges: 3, monitorEvents: 2, feedback: 2 });

    const sqlite = SqliteTrackingStore.open(from);
    const postgres = await PostgresTrackingStore.open(to);
    try {
      const expected = await contents(sqlite);
      expect(await contents(postgres)).toEqual(expected);
      // The final evaluation stays the run's result: the order of writing was kept.
      expect(expected.details.find((d) => d.parentRunId !== null)!.latestMetrics['val.accuracy']).toBe(0.75);
      // The registered bundle inside the store moved with it; one outside stays where it was.
      const versions = await postgres.listVersions('garments');
      expect(versions.map((v) => v.bundle)).toEqual(['/elsewhere/bundle.tar', join(files, 'bundles', versions[1]!.runId!)]);

      const second = await copySqliteStoreToPostgres(from, to);
      expect(Object.values(second).every((n) => n === 0)).toBe(true);
      expect(await contents(postgres)).toEqual(expected);
    } finally {
      sqlite.close();
      await postgres.close();
    }
  });

  it('refuses a version number the target uses for another bundle, and a folder that is no store', async () => {
    const from = await filledSqliteStore();
    const to = `${await server.createSchema()}&artifacts=${encodeURIComponent(mkdtempSync(join(tmpdir(), 'cvf-copy-to-')))}`;
    const target = await PostgresTrackingStore.open(to);
    await target.registerVersion('garments', { bundle: '/another/bundle', metrics: {} });
    await target.close();
    await expect(copySqliteStoreToPostgres(from, to)).rejects.toMatchObject({ code: 'TRACKING_CONFLICT', message: expect.stringContaining('garments@1 is already in the target store') });
    await expect(copySqliteStoreToPostgres(mkdtempSync(join(tmpdir(), 'cvf-empty-')), to)).rejects.toMatchObject({ code: 'TRACKING_STORE_NOT_FOUND' });
  });
});
