import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Starts crash-writer.ts on the store at `location` as a real process and SIGKILLs it mid-stream,
 * once it has committed step 200 while it writes as fast as it can. Resolves to its run's id.
 */
export async function killCrashWriter(location: string): Promise<string> {
  const writer = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
  // One process (tsx as a loader, not its CLI, which would fork a grandchild that outlives the kill).
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', writer, location], { stdio: ['ignore', 'pipe', 'inherit'] });
  const closed = new Promise((resolve) => child.on('close', resolve));
  let runId = '';
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      runId = /run (\w+)/.exec(output)?.[1] ?? '';
      if (/step 200\b/.test(output)) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited early: ${code}`))));
  });
  await closed;
  return runId;
}
