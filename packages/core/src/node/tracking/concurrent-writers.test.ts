import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable, startPostgres, type PostgresServer } from '../testing/postgres.js';
import { openTrackingStore } from './open-tracking-store.js';

const WRITER = fileURLToPath(new URL('./testing/concurrent-writer.ts', import.meta.url));

/** Runs the writer fixture as a separate Node process; resolves to what it printed. */
function writer(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', WRITER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`writer ${args.join(' ')} exited with ${code}: ${err.slice(-2000)}`))));
  });
}

/** The same processes against each kind of store: `location()` names a new empty store. */
function describeConcurrentWriters(kind: string, location: () => Promise<string>): void {
  describe(`several processes writing to one ${kind} store at once`, () => {
    it('4 processes creating one new store at the same moment all open it, and its schema is made once', async () => {
      const url = await location();
      await Promise.all(['0', '1', '2', '3'].map(() => writer([url, 'open'])));
      const store = await openTrackingStore(url);
      const run = await store.startRun({ experiment: 'after-the-race' });
      expect((await store.getRun(run.id)).status).toBe('running');
      await store.close();
    });

    it('4 processes × 1,000 metric writes to one run: none lost, none duplicated', async () => {
      const url = await location();
      const store = await openTrackingStore(url);
      const run = await store.startRun({ experiment: 'concurrent' });
      const writers = ['0', '1', '2', '3'];
      await Promise.all(writers.map((w) => writer([url, 'metrics', run.id, w, '1000'])));
      const history = await store.getMetricHistory(run.id);
      expect(history).toHaveLength(4000);
      for (const w of writers) {
        const mine = history.filter((m) => m.key === `writer.${w}`);
        // Exactly the steps 0…999, once each, each with its own value.
        expect(mine.map((m) => m.step)).toEqual(Array.from({ length: 1000 }, (_, k) => k));
        expect(mine.every((m) => m.value === m.step)).toBe(true);
      }
      expect((await store.getRun(run.id)).latestMetrics).toEqual({ 'writer.0': 999, 'writer.1': 999, 'writer.2': 999, 'writer.3': 999 });
      await store.close();
    });

    it('2 processes registering versions of one model at once get distinct numbers, 1…N without a gap', async () => {
      const url = await location();
      const [a, b] = await Promise.all([writer([url, 'versions', 'shared', '40']), writer([url, 'versions', 'shared', '40'])]);
      const numbers = [...(JSON.parse(a!) as number[]), ...(JSON.parse(b!) as number[])].sort((x, y) => x - y);
      expect(numbers).toEqual(Array.from({ length: 80 }, (_, k) => k + 1));
      const store = await openTrackingStore(url);
      expect((await store.listVersions('shared')).map((v) => v.version).sort((x, y) => x - y)).toEqual(numbers);
      await store.close();
    });
  });
}

describeConcurrentWriters('SQLite', async () => mkdtempSync(join(tmpdir(), 'cvf-concurrent-')));

describe.skipIf(postgresUnavailable())('PostgreSQL', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  describeConcurrentWriters('PostgreSQL', async () => `${await server.createSchema()}&artifacts=${encodeURIComponent(mkdtempSync(join(tmpdir(), 'cvf-pg-files-')))}`);
});
