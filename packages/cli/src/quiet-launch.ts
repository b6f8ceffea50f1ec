import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { childNodeFlags } from './child-node-flags.js';
import { NativeStderrFilter } from './native-stderr-filter.js';

/**
 * Commands that open a WebGPU device (Dawn prints from native code while it starts). Not the
 * studio: its runs are `cvf train` children, each filtered on its own.
 */
const DEVICE_COMMANDS = new Set(['train', 'predict', 'serve', 'doctor', 'bench']);
/** Set in the child, so it runs the command itself. */
const CHILD_ENV = 'CVF_NATIVE_STDERR_FILTERED';
const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Whether `cvf args` runs behind the stderr filter: commands that open a device, unless
 * `--verbose` asks for native diagnostics, or this process already is the filtered child.
 */
export function wantsQuietLaunch(args: readonly string[], env: Readonly<Record<string, string | undefined>>): boolean {
  if (env[CHILD_ENV] || args.includes('--verbose')) return false;
  const command = commandOf(args);
  return command !== undefined && DEVICE_COMMANDS.has(command);
}

/** The command of a `cvf` command line: its first word that is not an option. */
function commandOf(args: readonly string[]): string | undefined {
  return args.find((a) => !a.startsWith('-'));
}

/**
 * Runs this same `cvf` command line as a child process (with the command's V8 flags:
 * childNodeFlags) whose stderr goes through NativeStderrFilter; stdout is the child's own. The
 * child leads its own process group, so a terminal's Ctrl-C reaches it once (forwarded from here)
 * rather than twice; SIGINT, SIGTERM and SIGHUP (serve's reload) are forwarded; the child ends
 * itself when this process dies (its stdin, a pipe from here, closes). Resolves to the exit code
 * to leave with.
 */
export function quietLaunch(): Promise<number> {
  const flags = childNodeFlags(commandOf(process.argv.slice(2)), process.execArgv, process.env.NODE_OPTIONS);
  const child = spawn(process.execPath, [...process.execArgv, ...flags, ...process.argv.slice(1)], {
    stdio: ['pipe', 'inherit', 'pipe'],
    env: { ...process.env, [CHILD_ENV]: '1' },
    // A process group of its own (POSIX); on Windows `detached` would open a console window instead.
    detached: process.platform !== 'win32',
  });
  const filter = new NativeStderrFilter((text) => process.stderr.write(text));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => filter.push(chunk));
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, forward);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      filter.end();
      for (const s of FORWARDED) process.off(s, forward);
      // A shell reports a death by signal as 128 + its number.
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

/** In the filtered child: end as if sent SIGTERM when the launcher is gone (its pipe on our stdin closes). */
export function followLauncher(): void {
  if (!process.env[CHILD_ENV]) return;
  process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.resume();
  // Reading stdin must not keep the process alive once the command is done.
  (process.stdin as unknown as { unref?: () => void }).unref?.();
}
