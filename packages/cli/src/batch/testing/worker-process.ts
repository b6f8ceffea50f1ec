import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../main.ts', import.meta.url));

/** One JSON line of `cvf worker --json`. */
export interface WorkerEvent {
  readonly type: 'ready' | 'shard';
  readonly state?: 'started' | 'done' | 'skipped' | 'failed';
  readonly shard?: string;
  readonly images?: number;
  readonly error?: string;
}

/**
 * A real `cvf worker --json` child process (tsx as a loader in the same process, so a signal
 * reaches the worker itself), with the events it printed so far.
 */
export class WorkerProcess {
  readonly events: WorkerEvent[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #stderr = '';
  readonly #child: ChildProcess;
  readonly #waiters: { predicate: (event: WorkerEvent) => boolean; resolve: (event: WorkerEvent) => void }[] = [];

  private constructor(child: ChildProcess) {
    this.#child = child;
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines.filter((l) => l.startsWith('{'))) this.#add(JSON.parse(line) as WorkerEvent);
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.#stderr = (this.#stderr + chunk.toString()).slice(-20_000)));
    this.exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  }

  static start(queueUrl: string, args: readonly string[] = []): WorkerProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', MAIN, 'worker', '--queue', queueUrl, '--device', 'cpu', '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    return new WorkerProcess(child);
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Shards this worker computed, from its event number `since` on (shard ids repeat across jobs on the same data). */
  finishedShards(since = 0): string[] {
    return this.events
      .slice(since)
      .filter((e) => e.state === 'done')
      .map((e) => e.shard!);
  }

  /** The first event (already printed or to come) that matches; rejects when the worker exits first. */
  waitFor(predicate: (event: WorkerEvent) => boolean): Promise<WorkerEvent> {
    const seen = this.events.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      this.#waiters.push({ predicate, resolve });
      void this.exited.then(({ code, signal }) => reject(new Error(`worker exited (${code ?? signal}) before the event; stderr:\n${this.#stderr}`)));
    });
  }

  signal(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  #add(event: WorkerEvent): void {
    this.events.push(event);
    for (const waiter of this.#waiters.filter((w) => w.predicate(event))) waiter.resolve(event);
  }
}
