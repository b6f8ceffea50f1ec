import { spawn, type ChildProcess } from 'node:child_process';

/** How to start `cvf` as a child: the program and the arguments before the subcommand (node, its execArgv, the CLI entry). */
export interface CvfCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** What a finished child said: its exit, and the last JSON line it printed on stdout (a --json command's result). */
export interface ChildOutcome {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly result?: unknown;
  /** The end of its stderr, when it failed. */
  readonly stderr?: string;
}

/** The `cvf` this process runs: the same node, flags and entry script. */
export function currentCvfCommand(): CvfCommand {
  return { command: process.execPath, args: [...process.execArgv, process.argv[1]!] };
}

/**
 * A running `cvf <args>` child. Its stdout is read for the last JSON line; `stop()` sends SIGTERM,
 * which cvf retrain turns into runs marked killed and no alias moved.
 */
export class CvfChild {
  readonly done: Promise<ChildOutcome>;
  readonly #child: ChildProcess;

  constructor(cvf: CvfCommand, args: readonly string[], options: { env?: Record<string, string> } = {}) {
    this.#child = spawn(cvf.command, [...cvf.args, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    this.#child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout = (stdout + chunk).slice(-1 << 20)));
    this.#child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4096)));
    this.done = new Promise((resolve) => {
      this.#child.on('error', (error) => resolve({ exitCode: null, signal: null, stderr: error.message }));
      this.#child.on('close', (exitCode, signal) => {
        const result = lastJsonLine(stdout);
        resolve({ exitCode, signal, ...(result !== undefined && { result }), ...(exitCode !== 0 && stderr && { stderr: stderr.trim().slice(-1000) }) });
      });
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  stop(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGTERM');
  }
}

/**
 * The last JSON value on stdout: a --json command prints JSON lines of progress and then its
 * result, as one line (JSON lines) or pretty-printed over several (printJson, errors). Tries each
 * line that opens an object, from the last, parsed through to the end of the output.
 */
function lastJsonLine(text: string): unknown {
  const lines = text.trimEnd().split('\n');
  for (let k = lines.length - 1; k >= 0; k--) {
    if (!lines[k]!.startsWith('{')) continue;
    try {
      return JSON.parse(lines.slice(k).join('\n'));
    } catch {
      // Not where the last value starts: keep looking.
    }
  }
  return undefined;
}
