import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireInCi } from './require-in-ci.js';

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

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
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
  // Its own process group (detached), so stop() ends it whatever it started.
  const child = spawn(NATS_SERVER_PATH, ['-js', '-sd', folder, '-a', '127.0.0.1', '-p', '-1'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let port: number | undefined;
  let ready = false;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    port ??= Number(LISTENING.exec(output)?.[1]) || undefined;
    ready ||= output.includes('Server is ready');
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.on('exit', onExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    if (!exited(child)) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
    await rm(folder, { recursive: true, force: true });
  };

  const deadline = Date.now() + startTimeoutMs;
  while (!(ready && port !== undefined)) {
    if (exited(child) || Date.now() > deadline) {
      const why = exited(child) ? `exited with ${child.exitCode ?? child.signalCode}` : `was not ready within ${startTimeoutMs} ms`;
      await stop();
      throw new Error(`nats-server ${why}; its log:\n${output.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `nats://127.0.0.1:${port}`, port, folder, log: () => output, stop };
}
