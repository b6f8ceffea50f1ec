import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireInCi } from './require-in-ci.js';
import { spawnServerProcess, waitUntilReady } from './server-process.js';

/** Debian's NATS server (package nats-server; scripts/setup.sh installs it). */
export const NATS_SERVER_PATH = process.env.CVF_NATS_SERVER ?? '/usr/sbin/nats-server';

/** A running nats-server with JetStream, private to one test file. */
export interface NatsServer {
  /** The client URL, e.g. nats://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  /** The temporary folder holding its JetStream store (removed by `stop`). */
  readonly folder: string;
  /** What the server printed so far (for failure messages). */
  log(): string;
  /** Stops the server (its whole process group) and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** Why NATS tests cannot run here, or undefined (a failure in CI on Linux, `requireInCi`). */
export function natsUnavailable(): string | undefined {
  return requireInCi("nats-server (Debian's nats-server)", existsSync(NATS_SERVER_PATH) || `no ${NATS_SERVER_PATH}`);
}

const LISTENING = /Listening for client connections on [^\s:]+:(\d+)/;

/**
 * Starts a real nats-server for a test: JetStream on, its store in a temporary folder, bound to
 * loopback on a port the server picks itself (`-p -1`, read back from its log, so no other process
 * can take the port between choosing and binding). Resolves once it logs "Server is ready".
 * Stop it in afterAll: `stop()` kills its process group and removes the folder (a process exit
 * kills it too, so nothing is left behind).
 */
export async function startNats({ startTimeoutMs = 30_000 }: { startTimeoutMs?: number } = {}): Promise<NatsServer> {
  const folder = await mkdtemp(join(tmpdir(), 'cvf-nats-'));
  let port: number | undefined;
  let ready = false;
  // Its own process group, so stop() ends it whatever it started.
  const server = spawnServerProcess(NATS_SERVER_PATH, ['-js', '-sd', folder, '-a', '127.0.0.1', '-p', '-1'], {
    group: true,
    onOutput: (log) => {
      port ??= Number(LISTENING.exec(log)?.[1]) || undefined;
      ready ||= log.includes('Server is ready');
    },
  });
  const stop = async () => {
    await server.halt();
    await rm(folder, { recursive: true, force: true });
  };
  const failure = await waitUntilReady(server, 'nats-server', () => ready && port !== undefined, { timeoutMs: startTimeoutMs, pollMs: 50, waitingFor: 'was not ready' });
  if (failure !== undefined) {
    await stop();
    throw new Error(failure);
  }
  return { url: `nats://127.0.0.1:${port}`, port: port!, folder, log: server.log, stop };
}
