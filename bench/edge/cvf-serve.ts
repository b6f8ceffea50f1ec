// `cvf serve` in a child process, as an edge box runs it: the bench's clients never share its
// event loop. Ready once GET /readyz answers 200 (every model loaded and warmed).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cvfArgs, REPO } from './cvf-cli.js';

export interface ServeProcess {
  readonly url: string;
  /** SIGHUP: NAME@ALIAS models look their alias up now. */
  hangup(): void;
  /**
   * SIGSTOP / SIGCONT to the launcher and the server (`cvf serve` runs behind a launcher that
   * filters native stderr): a paused server takes no CPU at all, not even its timers' wake-ups.
   */
  pause(): void;
  resume(): void;
  /** SIGTERM (drain), then its exit code. */
  stop(): Promise<number | null>;
}

/**
 * The processes of a launcher's tree: the launcher, then its children (the server). Without Linux's
 * /proc, the launcher alone: its server then stays awake while paused.
 */
function processTree(launcher: number): number[] {
  try {
    const children = readFileSync(`/proc/${launcher}/task/${launcher}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return [launcher, ...children];
  } catch {
    return [launcher];
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startCvfServe(models: readonly string[], options: { store: string; env: Readonly<Record<string, string>>; args?: readonly string[] }): Promise<ServeProcess> {
  const port = await freePort();
  // Request logs (pino, info) go to stdout as in production; here that is /dev/null.
  const child: ChildProcess = spawn(process.execPath, cvfArgs('serve', ...models, '--port', String(port), '--store', options.store, '--device', 'cpu', ...(options.args ?? [])), {
    cwd: REPO,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (gone) throw new Error(`cvf serve exited before it was ready:\n${stderr}`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const tree = processTree(child.pid!);
  const signalTree = (signal: NodeJS.Signals) => {
    for (const pid of tree) {
      try {
        process.kill(pid, signal);
      } catch (error) {
        // Gone already (it exited): nothing to pause or resume.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
  };
  return {
    url,
    hangup: () => child.kill('SIGHUP'),
    pause: () => signalTree('SIGSTOP'),
    resume: () => signalTree('SIGCONT'),
    stop: async () => {
      // A paused server would hold SIGTERM until resumed, and never drain.
      signalTree('SIGCONT');
      child.kill('SIGTERM');
      return exited;
    },
  };
}
