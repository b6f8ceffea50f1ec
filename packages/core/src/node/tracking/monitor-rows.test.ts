import Sqlite from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../config/load.js';
import type { FeedbackLabel } from '../../monitor/feedback/feedback-label.js';
import { recordDriftTrigger } from '../../monitor/triggers/drift-trigger.js';
import { checkPerformanceTrigger } from '../../monitor/triggers/performance-trigger.js';
import { SqliteTrackingStore } from './sqlite-store.js';

const stores: SqliteTrackingStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function openStore(root = mkdtempSync(join(tmpdir(), 'cvf-monitor-'))): SqliteTrackingStore {
  const store = SqliteTrackingStore.open(root);
  stores.push(store);
  return store;
}

const monitor = (yaml: string) =>
  parsePipelineConfig(`version: 1\nname: m\ndata:\n  source: { kind: idx, images: i.gz, labels: l.gz }\nmonitor:\n${yaml}`, 'pipeline.yaml').monitor;

/** When the test's labels were fed back: a fixed time, each label a millisecond after the one before. */
const LABELLED_AT = Date.parse('2026-12-01T10:00:00Z');

function feedback(from: number, right: number, wrong: number): FeedbackLabel[] {
  return Array.from({ length: right + wrong }, (_, i) => ({
    predictionId: `p${from + i}`,
    model: 'chest',
    version: '3',
    predicted: i < right ? 'finding' : 'normal',
    label: 'finding',
    time: LABELLED_AT + from + i,
  }));
}

describe('monitor events in the SQLite store', () => {
  it('are rows another process reads', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cvf-monitor-'));
    const store = openStore(root);
    await store.recordMonitorEvent({ kind: 'time', trigger: 'nightly', model: null, version: null, action: 'drift-check', figures: { cron: '0 2 * * *' } });
    await store.recordMonitorEvent({ kind: 'drift', trigger: 'drift', model: 'chest', version: '3', action: 'retrain', figures: { statistic: 0.02 } });
    store.close();
    stores.length = 0;
    const db = new Sqlite(join(root, 'tracking.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM monitor_events').get()).toEqual({ n: 2 });
    db.close();
  });
});

describe('triggers', () => {
  it('the performance trigger fires once per window of degraded labels, asking for a retrain', async () => {
    const store = openStore();
    const config = monitor('  performance: { enabled: true, threshold: 0.8, minLabels: 30, window: 40 }\n  retrain: { enabled: true }\n');
    const model = { name: 'chest', version: '3' };
    await store.recordFeedback(feedback(0, 5, 5));
    expect(await checkPerformanceTrigger(store, model, config)).toMatchObject({ event: null, figures: { trials: 10, degraded: false } });
    await store.recordFeedback(feedback(10, 19, 11));
    const fired = await checkPerformanceTrigger(store, model, config);
    expect(fired.figures).toMatchObject({ trials: 40, successes: 24, degraded: true });
    expect(fired.event).toMatchObject({ kind: 'performance', model: 'chest', version: '3', action: 'retrain', figures: { successes: 24, trials: 40 } });
    // Still degraded, same window: no second event.
    await store.recordFeedback(feedback(40, 0, 1));
    expect((await checkPerformanceTrigger(store, model, config)).event).toBeNull();
    expect(await store.listMonitorEvents({ kind: 'performance' })).toHaveLength(1);
    // A new version is judged on its own labels only.
    await store.recordFeedback(feedback(50, 5, 0).map((l) => ({ ...l, version: '4' })));
    expect((await checkPerformanceTrigger(store, { name: 'chest', version: '4' }, config)).figures).toMatchObject({ trials: 5, successes: 5, degraded: false });
  });

  it('the drift trigger records a drifted result with every method’s figures, and nothing otherwise', async () => {
    const store = openStore();
    const config = monitor('  drift: { enabled: true }\n');
    const model = { name: 'chest', version: '3' };
    const quiet = { method: 'mmd' as const, statistic: 0.001, pValue: 0.6, threshold: 0.025, drifted: false, n: 500 };
    expect(await recordDriftTrigger(store, model, quiet, config)).toBeNull();
    const input = { method: 'input' as const, statistic: 0.3, pValue: 1e-6, threshold: 0.025, drifted: true, n: 500 };
    const event = await recordDriftTrigger(store, model, { method: 'auto', drifted: true, results: [quiet, input] }, config);
    expect(event).toMatchObject({ kind: 'drift', action: 'none', figures: { method: 'auto', drifted: ['input'] } });
    expect((event!.figures.results as unknown[]).length).toBe(2);
  });
});
