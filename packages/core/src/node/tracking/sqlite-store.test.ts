import Sqlite from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteTrackingStore } from './sqlite-store.js';
import { killCrashWriter } from './testing/kill-crash-writer.js';
import { describeTrackingStoreContract } from './testing/store-contract.js';

const stores: SqliteTrackingStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function openStore(root = mkdtempSync(join(tmpdir(), 'cvf-tracking-'))): SqliteTrackingStore {
  const store = SqliteTrackingStore.open(root);
  stores.push(store);
  return store;
}

describe('the SQLite store', () => describeTrackingStoreContract(async () => openStore()));

describe('a training process killed with SIGKILL', () => {
  it('leaves a consistent database, and its run is marked failed at the next open', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cvf-crash-'));
    const runId = await killCrashWriter(root);

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
