// A bench task in a Node process of its own (TypeScript through tsx): the job goes in as JSON on
// the command line, the answer comes back as JSON on stdout. A lean process keeps the bench
// process's own garbage collection (its trained bundles, ORT sessions, results) off the timings.
import { spawn } from 'node:child_process';

/** Runs `script` with `job` (argv[2], JSON) and parses what it writes to stdout; rejects with its stderr on a non-zero exit. */
export async function runJsonChild<T>(script: string, job: unknown): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', script, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`${script} exited with ${code}:\n${stderr}`);
  return JSON.parse(stdout) as T;
}
