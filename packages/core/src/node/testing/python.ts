import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Availability } from './require-in-ci.js';

/** Debian's python3, where its numpy, scikit-learn and pydicom live; not the python3 first on PATH. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Whether SYSTEM_PYTHON imports every one of `modules` (e.g. 'numpy'). */
export function pythonModules(...modules: readonly string[]): Availability {
  if (!existsSync(SYSTEM_PYTHON)) return `${SYSTEM_PYTHON} does not exist`;
  const run = spawnSync(SYSTEM_PYTHON, ['-c', modules.map((m) => `import ${m}`).join('\n')], { encoding: 'utf8' });
  if (run.status === 0) return true;
  const why = run.error?.message ?? run.stderr.trim().split('\n').at(-1) ?? `exit status ${run.status}`;
  return `${SYSTEM_PYTHON} cannot import ${modules.join(', ')}: ${why}`;
}
