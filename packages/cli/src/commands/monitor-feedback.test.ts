import { SqliteTrackingStore } from '@cvf/core/node';
import { createInferenceLog } from '@cvf/edge-runtime';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

const CLASSES = 'normal,finding';
let dir: string;
let store: string;
let config: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-monitor-feedback-'));
  store = join(dir, '.cvf');
  SqliteTrackingStore.open(store).close();
  // 40 predictions of chest@3 as the edge runtime logs them: p0…p19 said finding, p20…p39 normal.
  const log = createInferenceLog({ dir: join(store, 'inference-log') });
  for (let i = 0; i < 40; i++) {
    const finding = i < 20;
    log.append({ time: new Date().toISOString(), model: 'chest', version: '3', features: [i, 1], probabilities: finding ? [0.2, 0.8] : [0.7, 0.3], predictedClass: finding ? 1 : 0, predictionId: `p${i}` });
  }
  await log.close();
  config = join(dir, 'pipeline.yaml');
  writeFileSync(config, `version: 1\nname: chest\ndata:\n  source: { kind: idx, images: i.gz, labels: l.gz }\nmonitor:\n  performance: { enabled: true, metric: sensitivity, class: finding, threshold: 0.9, minLabels: 20 }\n`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A CSV labelling predictions p{from}…p{to - 1} as findings. */
function findings(from: number, to: number, extra = ''): string {
  const file = join(dir, `labels-${from}-${to}.csv`);
  const rows = Array.from({ length: to - from }, (_, i) => `p${from + i},finding`);
  writeFileSync(file, `predictionId,label\n${rows.join('\n')}\n${extra}`);
  return file;
}

describe('cvf monitor feedback and cvf monitor events', () => {
  it('stores the labels, measures the sensitivity, fires the performance trigger and lists the event', async () => {
    const first = await runCli('monitor', 'feedback', findings(0, 10), '--store', store, '--config', config, '--classes', CLASSES, '--json');
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ stored: 10, replaced: 0, models: { chest: { event: null, figures: { metric: 'sensitivity', class: 'finding', trials: 10, successes: 10, degraded: false } } } });

    // 30 more findings, of which the model missed 20: sensitivity 20/40, far under 0.9.
    const second = await runCli('monitor', 'feedback', findings(10, 40), '--store', store, '--config', config, '--classes', CLASSES, '--json');
    const check = JSON.parse(second.stdout).models.chest;
    expect(check.figures).toMatchObject({ trials: 40, successes: 20, degraded: true });
    expect(check.event).toMatchObject({ kind: 'performance', model: 'chest', version: '3', action: 'none' });
    expect(check).toMatchObject({ version: '3', accuracy: { successes: 20, trials: 40 }, sensitivity: { finding: { successes: 20, trials: 40 } } });
    const text = await runCli('monitor', 'feedback', findings(0, 1), '--store', store, '--config', config, '--classes', CLASSES);
    expect(text.stdout).toContain('replaced 1');
    expect(text.stdout).toMatch(/chest version 3: accuracy 0\.500 \(95% CI 0\.352–0\.648\) on 40 labels\n  sensitivity of finding: 0\.500/);
    expect(text.stdout).toContain('degraded (already reported in this window)');

    const listed = await runCli('monitor', 'events', '--store', store, '--json');
    expect(JSON.parse(listed.stdout)).toMatchObject([{ id: check.event.id, kind: 'performance', figures: { estimate: 0.5 } }]);
    const table = await runCli('monitor', 'events', '--store', store, '--model', 'chest');
    expect(table.stdout).toMatch(/performance +performance +chest@3 +none +sensitivity\(finding\) 0\.5 \[0\.352, 0\.648\] < 0\.9 on 40 labels/);
    expect((await runCli('monitor', 'events', '--store', store, '--model', 'other')).stdout).toBe('no monitor events\n');
  });

  it('refuses a file with an unknown prediction or a label that is no class, and stores none of it', async () => {
    const unknown = await runCli('monitor', 'feedback', findings(0, 3, 'p99,finding\n'), '--store', store, '--classes', CLASSES, '--json');
    expect(unknown.exitCode).toBe(2);
    expect(JSON.parse(unknown.stdout).error.message).toMatch(/labels-0-3\.csv:5: no prediction "p99"/);
    const badClass = await runCli('monitor', 'feedback', findings(0, 3, 'p5,cat\n'), '--store', store, '--classes', CLASSES);
    expect(badClass.stderr).toMatch(/label "cat" is not a class of chest version 3; classes: normal, finding/);
    const reader = SqliteTrackingStore.open(store);
    expect(await reader.recentFeedback('chest', 100)).toEqual([]);
    reader.close();
    // Served from a bundle path, the classes must be given.
    const noClasses = await runCli('monitor', 'feedback', findings(0, 3), '--store', store);
    expect(noClasses.stderr).toMatch(/version "3"|no model named "chest"/);
  });
});
