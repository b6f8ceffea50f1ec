import { execFileSync } from 'node:child_process';
import { chownSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { requireInCi } from './require-in-ci.js';
import { freeLoopbackPort, spawnServerProcess, waitUntilReady } from './server-process.js';

/** Debian's PostgreSQL 15 programs (package postgresql; scripts/setup.sh installs it). */
export const POSTGRES_BIN = process.env.CVF_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

/** The superuser of a test cluster (trust authentication: the cluster listens on loopback only). */
const SUPERUSER = 'cvf';

/** A running PostgreSQL, private to one test file. */
export interface PostgresServer {
  /** The connection URL of its `postgres` database, e.g. postgres://cvf@127.0.0.1:41234/postgres */
  readonly url: string;
  readonly port: number;
  /** The temporary folder holding the cluster and its socket (removed by `stop`). */
  readonly folder: string;
  /**
   * A new empty schema in the `postgres` database; resolves to a URL whose sessions use it
   * (`options=-c search_path=…`): a store of its own, in a millisecond where a database takes ~0.6 s.
   */
  createSchema(): Promise<string>;
  /** What PostgreSQL printed so far (for failure messages). */
  log(): string;
  /** Stops PostgreSQL and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Why PostgreSQL tests cannot run here, or undefined (a failure in CI on Linux, `requireInCi`). */
export function postgresUnavailable(): string | undefined {
  const initdb = join(POSTGRES_BIN, 'initdb');
  return requireInCi("PostgreSQL (Debian's postgresql)", existsSync(initdb) || `no ${initdb}`);
}

/**
 * Who runs the cluster: initdb and postgres refuse root, so root runs them as Debian's `postgres`
 * user; anyone else runs them as themselves.
 */
function clusterOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts a real PostgreSQL for a test: a fresh cluster (initdb) in a temporary folder, listening
 * on a free loopback port, its unix socket in that folder, fsync off (a test cluster is thrown
 * away). Resolves once it answers a query. `stop()` kills it and removes the folder (a process
 * exit kills it too). A port taken between choosing and binding it is retried with another one.
 */
export async function startPostgres({ startTimeoutMs = 60_000 }: { startTimeoutMs?: number } = {}): Promise<PostgresServer> {
  const owner = clusterOwner();
  const folder = await mkdtemp(join(tmpdir(), 'cvf-postgres-'));
  if (owner) chownSync(folder, owner.uid, owner.gid);
  const data = join(folder, 'data');
  try {
    execFileSync(join(POSTGRES_BIN, 'initdb'), ['-D', data, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--no-sync', '--no-instructions'], {
      stdio: 'pipe',
      ...owner,
    });
  } catch (cause) {
    await rm(folder, { recursive: true, force: true });
    throw new Error(`initdb failed: ${String((cause as { stderr?: Buffer }).stderr ?? cause)}`);
  }
  let lastFailure = '';
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const started = await startOnce(folder, data, owner, startTimeoutMs);
    if ('server' in started) return started.server;
    lastFailure = started.failure;
    if (!started.portTaken) break;
  }
  await rm(folder, { recursive: true, force: true });
  throw new Error(lastFailure);
}

async function startOnce(
  folder: string,
  data: string,
  owner: { uid: number; gid: number } | undefined,
  startTimeoutMs: number,
): Promise<{ server: PostgresServer } | { failure: string; portTaken: boolean }> {
  const port = await freeLoopbackPort();
  const args = ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', folder, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'];
  // SIGINT is PostgreSQL's "fast shutdown": ends sessions, no waiting for clients.
  const server = spawnServerProcess(join(POSTGRES_BIN, 'postgres'), args, { stopSignal: 'SIGINT', ...owner });
  const stop = async () => {
    await server.halt();
    await rm(folder, { recursive: true, force: true });
  };
  const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
  // A failed attempt stops its server only; the folder goes with the last attempt or with `stop`.
  const failure = await waitUntilReady(server, 'PostgreSQL', () => answers(url), { timeoutMs: startTimeoutMs, pollMs: 100, waitingFor: `did not answer on port ${port}` });
  if (failure !== undefined) return { failure, portTaken: /address already in use/i.test(server.log()) };
  let schemas = 0;
  const createSchema = async () => {
    const name = `cvf_test_${++schemas}`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${name}`);
    } finally {
      await client.end();
    }
    return `${url}?options=${encodeURIComponent(`-c search_path=${name}`)}`;
  };
  return { server: { url, port, folder, createSchema, log: server.log, stop } };
}
