import { spawnSync } from 'node:child_process';
import type { Availability } from './require-in-ci.js';

/** Whether a command-line tool runs here (e.g. dcmtk's `dcmdump --version`). */
export function commandRuns(command: string, args: readonly string[] = ['--version']): Availability {
  const run = spawnSync(command, args, { stdio: 'ignore' });
  if (run.error) return `${command} cannot be run: ${run.error.message}`;
  return run.status === 0 || `${command} ${args.join(' ')} exited with status ${run.status}`;
}
