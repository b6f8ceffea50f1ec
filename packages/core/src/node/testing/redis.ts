import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireInCi } from './require-in-ci.js';
import { freeLoopbackPort, spawnServerProcess, waitUntilReady } from './server-process.js';

/** Debian's Redis server (package redis-server; scripts/setup.sh installs it). */
export const REDIS_SERVER_PATH = process.env.CVF_REDIS_SERVER ?? '/usr/bin/redis-server';

/** A running Redis, private to one test file. */
export interface RedisServer {
  /** The connection URL, e.g. redis://127.0.0.1:41234 */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The temporary working folder of the server (removed by `stop`). */
  readonly folder: string;
  /** What Redis printed so far (for failure messages). */
  log(): string;
  /** Stops Redis and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Why Redis tests cannot run here, or undefined (a failure in CI on Linux, `requireInCi`). */
export function redisUnavailable(): string | undefined {
  return requireInCi("Redis (Debian's redis-server)", existsSync(REDIS_SERVER_PATH) || `no ${REDIS_SERVER_PATH}`);
}

/** Whether a Redis answers PING on the port (the inline protocol, so no client library is needed). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/**
 * Starts a real Redis for a test: loopback only, a free port, a temporary working folder, no
 * persistence (no RDB snapshots, no AOF). Resolves once it answers PING. Stop it in afterAll:
 * `stop()` kills it and removes the folder (and a process exit kills it too). A port taken
 * between choosing and binding it is retried with another one.
 */
export async function startRedis({ startTimeoutMs = 30_000 }: { startTimeoutMs?: number } = {}): Promise<RedisServer> {
  let lastFailure = '';
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const started = await startOnce(startTimeoutMs);
    if ('server' in started) return started.server;
    lastFailure = started.failure;
    if (!started.portTaken) break;
  }
  throw new Error(lastFailure);
}

async function startOnce(startTimeoutMs: number): Promise<{ server: RedisServer } | { failure: string; portTaken: boolean }> {
  const folder = await mkdtemp(join(tmpdir(), 'cvf-redis-'));
  const port = await freeLoopbackPort();
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', folder,
    '--save', '',
    '--appendonly', 'no',
    '--protected-mode', 'yes',
    '--daemonize', 'no',
    '--logfile', '',
  ];
  const server = spawnServerProcess(REDIS_SERVER_PATH, args);
  const stop = async () => {
    await server.halt();
    await rm(folder, { recursive: true, force: true });
  };
  const failure = await waitUntilReady(server, 'Redis', () => answersPing(port), { timeoutMs: startTimeoutMs, pollMs: 50, waitingFor: `did not answer PING on port ${port}` });
  if (failure !== undefined) {
    await stop();
    return { failure, portTaken: /address already in use/i.test(server.log()) };
  }
  const host = '127.0.0.1';
  return { server: { url: `redis://${host}:${port}`, host, port, folder, log: server.log, stop } };
}
