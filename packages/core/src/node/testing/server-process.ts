import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A server a test started (Redis, PostgreSQL, NATS, Orthanc): its process and what it printed. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** What it printed so far, stdout and stderr together (the last 20,000 characters). */
  log(): string;
  exited(): boolean;
  /** Signals it to stop, waits for its exit (SIGKILL after 10 s). Safe to call twice. */
  halt(): Promise<void>;
}

export interface ServerProcessOptions {
  /** Its own process group, signalled as a whole: for servers that start processes of their own. */
  readonly group?: boolean;
  /** How it is asked to stop (default SIGTERM). */
  readonly stopSignal?: NodeJS.Signals;
  /** The user it runs as (a server that refuses root). */
  readonly uid?: number;
  readonly gid?: number;
  /** Called with each chunk it prints, after the chunk is in the log. */
  readonly onOutput?: (log: string) => void;
}

/**
 * Spawns a server for a test. A test process that exits without stopping it kills it, so nothing
 * is left running behind a failed test.
 */
export function spawnServerProcess(command: string, args: readonly string[], options: ServerProcessOptions = {}): ServerProcess {
  const { group = false, stopSignal = 'SIGTERM', uid, gid, onOutput } = options;
  const child = spawn(command, args, { detached: group, stdio: ['ignore', 'pipe', 'pipe'], ...(uid !== undefined && { uid }), ...(gid !== undefined && { gid }) });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    onOutput?.(output);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.on('error', (error) => keep(Buffer.from(`spawn failed: ${error.message}\n`)));
  const exited = () => child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
  const kill = (signal: NodeJS.Signals) => {
    if (exited()) return;
    try {
      if (group) process.kill(-child.pid!, signal);
      else child.kill(signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => kill('SIGKILL');
  process.on('exit', onExit);
  let halting: Promise<void> | undefined;
  const halt = () =>
    (halting ??= (async () => {
      process.off('exit', onExit);
      if (exited()) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      kill(stopSignal);
      const timer = setTimeout(() => kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    })());
  return { child, log: () => output, exited, halt };
}

/**
 * Polls `ready` until it answers true. On an exit or at the deadline the server is halted and the
 * reason returned, with the end of its log; undefined once it is ready.
 */
export async function waitUntilReady(server: ServerProcess, name: string, ready: () => boolean | Promise<boolean>, { timeoutMs, pollMs, waitingFor }: { timeoutMs: number; pollMs: number; waitingFor: string }): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (server.exited() || Date.now() > deadline) {
      const why = server.exited() ? `exited with ${server.child.exitCode ?? server.child.signalCode ?? 'a failed start'}` : `${waitingFor} within ${timeoutMs} ms`;
      await server.halt();
      return `${name} ${why}; its log:\n${server.log().slice(-4000)}`;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return undefined;
}

/** A port free on the loopback interface now (the OS picks it; the server binds it a moment later). */
export function freeLoopbackPort(): Promise<number> {
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
