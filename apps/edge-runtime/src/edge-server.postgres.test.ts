import { copySqliteStoreToPostgres, openTrackingStore } from '@cvf/core/node';
import { postgresUnavailable, startPostgres, type PostgresServer } from '@cvf/core/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeServer, type EdgeServer } from './edge-server.js';
import { createLogger } from './logger.js';
import { patternPng } from './testing/test-images.js';
import { trainTestModel } from './testing/train-test-model.js';

describe.skipIf(postgresUnavailable())('the edge runtime over a PostgreSQL store', () => {
  let postgres: PostgresServer;
  let dir: string;
  let store: string;
  let server: EdgeServer;
  beforeAll(async () => {
    postgres = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'cvf-edge-pg-'));
    // Trained into SQLite, then moved to PostgreSQL as a team would: the bundle goes to the URL's file folder.
    const trained = await trainTestModel(dir, { name: 'patterns', alias: 'production', seed: 1 });
    await trainTestModel(dir, { name: 'patterns', seed: 2 });
    store = `${await postgres.createSchema()}&artifacts=${encodeURIComponent(join(dir, 'shared'))}`;
    await copySqliteStoreToPostgres(trained.store, store);
    rmSync(trained.store, { recursive: true, force: true });
    server = await createEdgeServer({ models: ['patterns@production'], store, logger: createLogger({ level: 'silent' }), decodeWorkers: 0, reloadIntervalMs: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await postgres?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves NAME@ALIAS looked up in the database, and keeps fed-back labels there', async () => {
    const response = await fetch(`${server.url}/v1/models/patterns/predict`, { method: 'POST', body: await patternPng(0, 7), headers: { 'content-type': 'image/png' } });
    const body = (await response.json()) as { predictions: { predictionId: string; label: string }[] };
    expect(response.status, JSON.stringify(body)).toBe(200);
    const [prediction] = body.predictions;
    const fed = await fetch(`${server.url}/v1/models/patterns/feedback`, {
      method: 'POST',
      body: JSON.stringify({ predictionId: prediction!.predictionId, label: prediction!.label }),
      headers: { 'content-type': 'application/json' },
    });
    expect(fed.status).toBe(200);
    const reader = await openTrackingStore(store);
    try {
      expect(await reader.recentFeedback('patterns', 10)).toMatchObject([{ predictionId: prediction!.predictionId, version: '1', label: prediction!.label, predicted: prediction!.label }]);
    } finally {
      await reader.close();
    }
  });

  it('follows its alias in the database: a moved alias is served after the check', async () => {
    const versionServed = async (): Promise<string> => {
      const response = await fetch(`${server.url}/v1/models/patterns/predict`, { method: 'POST', body: await patternPng(1, 8), headers: { 'content-type': 'image/png' } });
      return ((await response.json()) as { model_version: string }).model_version;
    };
    expect(await versionServed()).toBe('1');
    const registry = await openTrackingStore(store);
    try {
      await registry.setAlias('patterns', 2, 'production');
    } finally {
      await registry.close();
    }
    await server.checkForUpdates();
    expect(await versionServed()).toBe('2');
  });
});
