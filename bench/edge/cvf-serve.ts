// `cvf serve` in a child process, as an edge box runs it: the bench's clients never share its
// event loop. Ready once GET /readyz answers 200 (every model loaded and warmed).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { cvfArgs, REPO } from './cvf-cli.js';

export interface ServeProcess {
  readonly url: string;
  /** SIGHUP: NAME@ALIAS models look their alias up now. */
  hangup(): void;
  /** SIGTERM (drain), then its exit code. */
  stop(): Promise<number | null>;
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
  return {
    url,
    hangup: () => child.kill('SIGHUP'),
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
