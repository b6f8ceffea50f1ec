import { SqliteTrackingStore } from '@cvf/core/node';
import { postgresUnavailable, startPostgres, type PostgresServer } from '@cvf/core/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

describe.skipIf(postgresUnavailable())('cvf store migrate, and --store postgres://', () => {
  let server: PostgresServer;
  let from: string;
  let runId: string;
  beforeAll(async () => {
    server = await startPostgres();
    from = mkdtempSync(join(tmpdir(), 'cvf-store-from-'));
    const store = SqliteTrackingStore.open(from);
    const run = await store.startRun({ experiment: 'fashion', name: 'first' });
    runId = run.id;
    await store.logParams(run.id, { lr: 0.1 });
    await store.logMetrics(run.id, { 'val.accuracy': 0.9 }, 0);
    await store.endRun(run.id, 'finished');
    await store.registerVersion('fashion-mnist', { runId, bundle: '/bundles/1', metrics: { accuracy: 0.89 } });
    await store.setAlias('fashion-mnist', 1, 'production');
    store.close();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('copies a SQLite store once; the CLI then reads the same runs and models from the URL', async () => {
    const to = `${await server.createSchema()}&artifacts=${encodeURIComponent(mkdtempSync(join(tmpdir(), 'cvf-store-to-')))}`;
    const first = await runCli('store', 'migrate', '--from', from, '--to', to, '--json');
    expect(first.exitCode).toBe(0);
    expect(JSON.parse(first.stdout).copied).toMatchObject({ experiments: 1, runs: 1, params: 1, metrics: 1, models: 1, versions: 1, aliases: 1, aliasChanges: 1 });
    const again = await runCli('store', 'migrate', '--from', from, '--to', to, '--json');
    expect(Object.values(JSON.parse(again.stdout).copied as Record<string, number>).every((n) => n === 0)).toBe(true);

    for (const args of [['models', 'list', '--json'], ['runs', 'show', runId, '--json']]) {
      const sqlite = await runCli(...args, '--store', from);
      const postgres = await runCli(...args, '--store', to);
      expect(postgres.exitCode).toBe(0);
      expect(JSON.parse(postgres.stdout)).toEqual(JSON.parse(sqlite.stdout));
    }
    expect((await runCli('models', 'promote', 'fashion-mnist', '1', '--alias', 'staging', '--store', to)).stdout).toBe('fashion-mnist@1 is now staging\n');
  });

  it('refuses a --to that is no postgres:// URL, and a --from that is no store', async () => {
    const notUrl = await runCli('store', 'migrate', '--from', from, '--to', '/tmp/elsewhere', '--json');
    expect(notUrl.exitCode).toBe(2);
    expect(JSON.parse(notUrl.stdout).error).toMatchObject({ code: 'USAGE_INVALID', message: expect.stringContaining('--to must be a postgres:// URL') });
    const noStore = await runCli('store', 'migrate', '--from', mkdtempSync(join(tmpdir(), 'cvf-nothing-')), '--to', server.url, '--json');
    expect(JSON.parse(noStore.stdout).error).toMatchObject({ code: 'TRACKING_STORE_NOT_FOUND' });
  });
});
