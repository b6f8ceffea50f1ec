import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable, startPostgres, type PostgresServer } from '../../testing/postgres.js';
import { openTrackingStore, trackingStoreFolder } from '../open-tracking-store.js';
import { killCrashWriter } from '../testing/kill-crash-writer.js';
import { describeTrackingStoreContract } from '../testing/store-contract.js';
import { isPostgresLocation, parsePostgresLocation } from './location.js';
import { PostgresTrackingStore } from './postgres-store.js';

const unavailable = postgresUnavailable();

describe.skipIf(unavailable)('the PostgreSQL store', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A new schema on the test server, with its run files in a new temporary folder. */
  const newStoreUrl = async () => `${await server.createSchema()}&artifacts=${encodeURIComponent(mkdtempSync(join(tmpdir(), 'cvf-pg-files-')))}`;

  describeTrackingStoreContract(async () => openTrackingStore(await newStoreUrl()));

  it('migrates a database once, however many processes open it at once, and records the migrations', async () => {
    const url = await newStoreUrl();
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresTrackingStore.open(url)));
    await Promise.all(stores.map((s) => s.close()));
    const client = new pg.Client(parsePostgresLocation(url).connectionString);
    await client.connect();
    const { rows } = await client.query('SELECT version FROM cvf_schema_migrations ORDER BY version');
    await client.end();
    expect(rows).toEqual([{ version: 1 }]);
  });

  it('a writer SIGKILLed mid-stream leaves whole steps, and its run is marked failed at the next open', async () => {
    const url = await newStoreUrl();
    const runId = await killCrashWriter(url);
    const store = await PostgresTrackingStore.open(url);
    try {
      const history = await store.getMetricHistory(runId);
      const steps = [...new Set(history.map((m) => m.step))].sort((a, b) => a - b);
      // Each step's two metrics were one statement: never one without the other, and no step missing.
      expect(steps.length).toBeGreaterThan(200);
      expect(steps).toEqual(steps.map((_, k) => k));
      expect(history).toHaveLength(steps.length * 2);
      expect(await store.getRun(runId)).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/ended without ending the run/) });
    } finally {
      await store.close();
    }
  });

  it('refuses a database it cannot open, naming the URL without its password', async () => {
    const url = `postgres://cvf:secret@127.0.0.1:${server.port}/no_such_database`;
    await expect(openTrackingStore(url)).rejects.toMatchObject({ code: 'TRACKING_STORE_FAILED', message: expect.stringContaining('cvf:***@127.0.0.1') });
    await expect(openTrackingStore(url)).rejects.not.toMatchObject({ message: expect.stringContaining('secret') });
  });
});

describe('a PostgreSQL store location', () => {
  it('takes its run-file folder from ?artifacts=, else .cvf of the working folder', () => {
    expect(parsePostgresLocation('postgres://u:pw@db:5432/cvf?artifacts=/srv/cvf', '/work')).toEqual({
      connectionString: 'postgres://u:pw@db:5432/cvf',
      root: '/srv/cvf',
      display: 'postgres://u:***@db:5432/cvf',
    });
    expect(parsePostgresLocation('postgresql://db/cvf?sslmode=require', '/work')).toMatchObject({ connectionString: 'postgresql://db/cvf?sslmode=require', root: '/work/.cvf' });
  });

  it('is where trackingStoreFolder finds run files without opening the store; a SQLite folder is its own', () => {
    expect(trackingStoreFolder('postgres://db/cvf?artifacts=files', '/work')).toBe('/work/files');
    expect(trackingStoreFolder('postgresql://db/cvf', '/work')).toBe('/work/.cvf');
    expect(trackingStoreFolder('stores/lab', '/work')).toBe('/work/stores/lab');
    expect(isPostgresLocation('POSTGRES://db/cvf')).toBe(true);
    expect(isPostgresLocation('./postgres/store')).toBe(false);
  });
});
