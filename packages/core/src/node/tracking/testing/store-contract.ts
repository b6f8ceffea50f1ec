// The behaviour every tracking store shares, run by sqlite-store.test.ts and
// postgres/postgres-store.test.ts against a real SQLite and a real PostgreSQL.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedbackLabel } from '../../../monitor/feedback/feedback-label.js';
import type { TrackingStore } from '../tracking-store.js';

/** Opens a new, empty store (each call a store of its own). */
export type OpenEmptyStore = () => Promise<TrackingStore>;

export function describeTrackingStoreContract(openEmpty: OpenEmptyStore): void {
  const stores: TrackingStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });
  const openStore = async () => {
    const store = await openEmpty();
    stores.push(store);
    return store;
  };

  describe('runs', () => {
    it('records params, metrics over steps, tags and artifacts, and ends', async () => {
      const store = await openStore();
      const run = await store.startRun({ experiment: 'fashion', name: 'hog-mlp', configHash: 'abc', gitSha: 'deadbeef' });
      expect(run).toMatchObject({ experiment: 'fashion', status: 'running', endTime: null, configHash: 'abc', gitSha: 'deadbeef' });
      await store.logParams(run.id, { 'train.lr': 0.001, 'model.hidden': [256] });
      await store.logMetrics(run.id, { loss: 2.3, accuracy: 0.1 }, 0);
      await store.logMetrics(run.id, { loss: 0.4, accuracy: 0.88 }, 1);
      await store.logMetrics(run.id, { 'val.accuracy': 0.8 }, 2);
      await store.logMetrics(run.id, { 'val.accuracy': 0.9 }, 0); // a final evaluation after the epochs
      await store.setTags(run.id, { device: 'webgpu' });
      const bytes = new TextEncoder().encode('{"a":1}');
      const artifact = await store.logArtifact(run.id, 'bundle/manifest.json', bytes);
      expect(artifact).toMatchObject({ path: 'bundle/manifest.json', size: 7, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(await store.readArtifact(run.id, 'bundle/manifest.json')).toEqual(Buffer.from(bytes));
      await expect(store.readArtifact(run.id, 'missing.json')).rejects.toMatchObject({ code: 'TRACKING_NOT_FOUND' });
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
      expect((await store.listExperiments()).map((e) => e.name)).toEqual(['fashion']);
    });

    it('lists newest first, by experiment, status and parent run', async () => {
      const store = await openStore();
      const search = await store.startRun({ experiment: 'tune' });
      const trial1 = await store.startRun({ experiment: 'tune', parentRunId: search.id });
      const trial2 = await store.startRun({ experiment: 'tune', parentRunId: search.id });
      await store.startRun({ experiment: 'other' });
      await store.endRun(trial1.id, 'finished');
      expect((await store.listRuns({ parentRunId: search.id })).map((r) => r.id)).toEqual([trial2.id, trial1.id]);
      expect((await store.listRuns({ experiment: 'tune', status: 'finished' })).map((r) => r.id)).toEqual([trial1.id]);
      expect((await store.listRuns({ limit: 2 })).length).toBe(2);
      expect((await store.listRuns()).length).toBe(4);
      expect((await store.renameRun(search.id, 'search')).name).toBe('search');
    });

    it('refuses bad requests with codes and leaves the store as it was', async () => {
      const store = await openStore();
      const run = await store.startRun({ experiment: 'e' });
      await expect(store.logMetrics(run.id, { loss: Number.NaN }, 0)).rejects.toMatchObject({ code: 'TRACKING_INVALID', message: expect.stringContaining('"loss" must be a finite number') });
      await expect(store.logMetrics(run.id, { loss: 1, accuracy: Infinity }, 0)).rejects.toMatchObject({ code: 'TRACKING_INVALID' });
      await expect(store.getMetricHistory(run.id)).resolves.toEqual([]);
      await expect(store.logMetrics('nope', { loss: 1 }, 0)).rejects.toMatchObject({ code: 'TRACKING_NOT_FOUND' });
      await expect(store.logArtifact(run.id, '../escape.txt', new Uint8Array(1))).rejects.toMatchObject({ code: 'TRACKING_INVALID' });
      await expect(store.startRun({ experiment: 'bad name!' })).rejects.toMatchObject({ code: 'TRACKING_INVALID' });
      await expect(store.startRun({ experiment: 'e', parentRunId: 'nope' })).rejects.toMatchObject({ code: 'TRACKING_NOT_FOUND' });
      await store.endRun(run.id, 'killed', 'stopped from the studio');
      await expect(store.logMetrics(run.id, { loss: 1 }, 1)).rejects.toMatchObject({ code: 'TRACKING_CONFLICT' });
      await expect(store.endRun(run.id, 'finished')).rejects.toMatchObject({ code: 'TRACKING_CONFLICT' });
      expect((await store.getRun(run.id)).failureReason).toBe('stopped from the studio');
      expect(await store.listRuns()).toHaveLength(1);
    });
  });

  describe('registry', () => {
    it('numbers versions per model, moves aliases and keeps their history', async () => {
      const store = await openStore();
      const run = await store.startRun({ experiment: 'e' });
      const v1 = await store.registerVersion('fashion-mnist', { runId: run.id, bundle: '/b/1', metrics: { accuracy: 0.88 }, bundleDigest: 'abc' });
      const v2 = await store.registerVersion('fashion-mnist', { runId: run.id, bundle: '/b/2', metrics: { accuracy: 0.9 } });
      await store.registerVersion('chest-ct', { bundle: '/c/1', metrics: {} });
      expect([v1.version, v2.version]).toEqual([1, 2]);
      expect(v1).toMatchObject({ runId: run.id, bundle: '/b/1', bundleDigest: 'abc', configHash: null });

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
      expect(await store.aliasHistory('fashion-mnist')).toHaveLength(3);
      expect((await store.listVersions()).map((v) => `${v.name}@${v.version}`)).toEqual(['chest-ct@1', 'fashion-mnist@2', 'fashion-mnist@1']);
      expect((await store.listVersions('fashion-mnist'))[0]!.metrics).toEqual({ accuracy: 0.9 });
    });

    it('refuses unknown versions and bad aliases', async () => {
      const store = await openStore();
      await store.registerVersion('m', { bundle: '/b', metrics: {} });
      await expect(store.setAlias('m', 7, 'production')).rejects.toMatchObject({ code: 'TRACKING_NOT_FOUND', message: expect.stringContaining('versions: 1') });
      await expect(store.setAlias('nope', 1, 'production')).rejects.toMatchObject({ code: 'TRACKING_NOT_FOUND' });
      await expect(store.setAlias('m', 1, 'Prod Uction')).rejects.toMatchObject({ code: 'TRACKING_INVALID' });
      await expect(store.registerVersion('bad name!', { bundle: '/b', metrics: {} })).rejects.toMatchObject({ code: 'TRACKING_INVALID' });
      expect(await store.getByAlias('m', 'production')).toBeNull();
    });

    it('an unknown model is "no model named …" with the models there are', async () => {
      const store = await openStore();
      await expect(store.getVersion('garments', 1)).rejects.toMatchObject({ message: expect.stringContaining('no model is registered there yet') });
      await store.registerVersion('chest-ct', { bundle: '/b', metrics: {} });
      await store.registerVersion('garments', { bundle: '/b', metrics: {} });
      await expect(store.setAlias('garmets', 1, 'production')).rejects.toMatchObject({
        code: 'TRACKING_NOT_FOUND',
        message: expect.stringMatching(/no model named "garmets" in .*; models: chest-ct, garments$/),
      });
      expect(await store.listModelNames()).toEqual(['chest-ct', 'garments']);
    });
  });

  describe('deleting a run', () => {
    /** A finished run with a metric, a tag, an artifact and a bundle folder where training writes one. */
    async function finishedRun(store: TrackingStore) {
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

    it('removes its rows, its artifacts and its bundle folder; its child runs stay without a parent', async () => {
      const store = await openStore();
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
      const store = await openStore();
      const run = await store.startRun({ experiment: 'e' });
      await expect(store.deleteRun(run.id)).rejects.toMatchObject({ code: 'TRACKING_CONFLICT', message: expect.stringContaining(`run ${run.id} is running`) });
      expect((await store.getRun(run.id)).status).toBe('running');
      await store.deleteRun(run.id, { force: true });
      expect(await store.listRuns()).toEqual([]);
    });

    it('refuses a run behind a registered version unless forced; forced, the version and its bundle stay', async () => {
      const store = await openStore();
      const { id, bundle } = await finishedRun(store);
      await store.registerVersion('garments', { runId: id, bundle, metrics: {} });
      await expect(store.deleteRun(id)).rejects.toMatchObject({ code: 'TRACKING_CONFLICT', message: expect.stringContaining('registered model garments@1') });
      await store.deleteRun(id, { force: true });
      expect(await store.getVersion('garments', 1)).toMatchObject({ runId: null, bundle });
      expect(existsSync(join(bundle, 'manifest.json'))).toBe(true);
    });

    it('says which run is unknown', async () => {
      await expect((await openStore()).deleteRun('feed')).rejects.toMatchObject({ code: 'TRACKING_NOT_FOUND', message: expect.stringContaining('"feed"') });
    });
  });

  describe('finding a run by an id prefix', () => {
    it('takes the whole id or a unique prefix, and refuses none or several with the candidates', async () => {
      const store = await openStore();
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

  describe('monitor events and fed-back labels', () => {
    /** When the test's labels were fed back: a fixed time, each label a millisecond after the one before. */
    const LABELLED_AT = Date.parse('2026-12-01T10:00:00Z');
    const feedback = (from: number, right: number, wrong: number): FeedbackLabel[] =>
      Array.from({ length: right + wrong }, (_, i) => ({
        predictionId: `p${from + i}`,
        model: 'chest',
        version: '3',
        predicted: i < right ? 'finding' : 'normal',
        label: 'finding',
        time: LABELLED_AT + from + i,
      }));

    it('records, lists newest first, filters by model and kind, and stores an outcome', async () => {
      const store = await openStore();
      const first = await store.recordMonitorEvent({ kind: 'time', trigger: 'nightly', model: null, version: null, action: 'drift-check', figures: { cron: '0 2 * * *' } });
      await store.recordMonitorEvent({ kind: 'drift', trigger: 'drift', model: 'chest', version: '3', action: 'retrain', figures: { statistic: 0.02 } });
      expect((await store.listMonitorEvents()).map((e) => e.trigger)).toEqual(['drift', 'nightly']);
      expect(await store.listMonitorEvents({ limit: 1 })).toHaveLength(1);
      expect(await store.listMonitorEvents({ model: 'chest' })).toMatchObject([{ kind: 'drift', version: '3', figures: { statistic: 0.02 }, outcome: null }]);
      expect(await store.listMonitorEvents({ pendingAction: 'drift-check' })).toHaveLength(1);
      expect(await store.setMonitorEventOutcome(first.id, { drifted: false })).toMatchObject({ id: first.id, outcome: { drifted: false } });
      expect(await store.listMonitorEvents({ pendingAction: 'drift-check' })).toEqual([]);
    });

    it('refuses an unknown kind, and names the valid ones', async () => {
      const store = await openStore();
      await expect(store.recordMonitorEvent({ kind: 'cosmic' as never, trigger: 't', model: null, version: null, action: 'none', figures: {} })).rejects.toThrow(/drift, performance, time/);
      await expect(store.setMonitorEventOutcome(42, {})).rejects.toMatchObject({ code: 'MONITOR_EVENT_INVALID' });
    });

    it('keeps fed-back labels, a second label for a prediction replacing the first', async () => {
      const store = await openStore();
      expect(await store.recordFeedback(feedback(0, 2, 1))).toEqual({ stored: 3, replaced: 0 });
      const correction = { ...feedback(0, 1, 0)[0]!, label: 'normal', time: LABELLED_AT + 1000 };
      expect(await store.recordFeedback([correction])).toEqual({ stored: 0, replaced: 1 });
      const recent = await store.recentFeedback('chest', 10);
      expect(recent).toHaveLength(3);
      expect(recent[0]).toMatchObject({ predictionId: 'p0', label: 'normal', predicted: 'finding', time: LABELLED_AT + 1000 });
      expect(await store.recentFeedback('chest', 2)).toHaveLength(2);
      expect(await store.recentFeedback('chest', 10, '4')).toEqual([]);
      expect(await store.recentFeedback('other', 10)).toEqual([]);
    });
  });
}
