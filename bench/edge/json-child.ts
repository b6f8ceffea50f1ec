// A bench task in a Node process of its own (TypeScript through tsx): the job goes in as JSON on
// the command line, with its binary inputs as files; the answer comes back as JSON on stdout. A
// lean process keeps the bench process's own garbage collection (its trained bundles, ORT
// sessions, results) off the timings.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `script` with `job` (argv[2], JSON) and parses what it writes to stdout; rejects with its
 * stderr on a non-zero exit. Each of `files` is written to a temporary folder first, and the job
 * gets its path under `files` (removed afterwards).
 */
export async function runJsonChild<T>(script: string, job: object, files: Readonly<Record<string, Uint8Array>> = {}): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'cvf-bench-child-'));
  try {
    const paths = Object.fromEntries(Object.keys(files).map((name) => [name, join(dir, name)] as const));
    for (const [name, bytes] of Object.entries(files)) writeFileSync(paths[name]!, bytes);
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', script, JSON.stringify({ ...job, files: paths })], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (code !== 0) throw new Error(`${script} exited with ${code}:\n${stderr}`);
    return JSON.parse(stdout) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
