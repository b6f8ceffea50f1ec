import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireInCi } from './require-in-ci.js';

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

/** A port free on the loopback interface now (the OS picks it; Redis binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
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

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
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
  const port = await freePort();
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
  const child = spawn(REDIS_SERVER_PATH, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.on('error', (error) => keep(Buffer.from(`spawn failed: ${error.message}\n`)));
  const kill = (signal: NodeJS.Signals) => {
    if (!exited(child)) child.kill(signal);
  };
  const onExit = () => kill('SIGKILL');
  process.on('exit', onExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    if (!exited(child) && child.pid !== undefined) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
    await rm(folder, { recursive: true, force: true });
  };

  const deadline = Date.now() + startTimeoutMs;
  while (!(await answersPing(port))) {
    if (exited(child) || child.pid === undefined || Date.now() > deadline) {
      const why = exited(child) || child.pid === undefined
        ? `exited with ${child.exitCode ?? child.signalCode ?? 'a failed start'}`
        : `did not answer PING on port ${port} within ${startTimeoutMs} ms`;
      await stop();
      return { failure: `Redis ${why}; its log:\n${output.slice(-4000)}`, portTaken: /address already in use/i.test(output) };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const host = '127.0.0.1';
  return { server: { url: `redis://${host}:${port}`, host, port, folder, log: () => output, stop } };
}
