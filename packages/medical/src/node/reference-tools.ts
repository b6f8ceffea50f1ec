import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { requireInCi, SYSTEM_PYTHON } from '@cvf/core/testing';

// Node-only access to the reference DICOM tools that tests and conformance checks compare with:
// Debian's pydicom (through /usr/bin/python3, not a pyenv `python3` without it) and dcmtk.

export const PYDICOM_CORPUS = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

let missing: string | null | undefined;

/** Why the reference tools cannot run here, or undefined when pydicom (+ numpy) and dcmdump all work. */
export function referenceToolsMissing(): string | undefined {
  if (missing === undefined) {
    missing = null;
    try {
      if (!existsSync(SYSTEM_PYTHON)) throw new Error(`${SYSTEM_PYTHON} does not exist`);
      execFileSync(SYSTEM_PYTHON, ['-c', 'import pydicom, numpy'], { stdio: 'pipe' });
      execFileSync('dcmdump', ['--version'], { stdio: 'pipe' });
    } catch (error) {
      missing = (error as Error).message.split('\n')[0]!;
    }
  }
  return missing ?? undefined;
}

/** For test files: the reason to skip when the reference tools are missing (a failure in CI, `requireInCi`). */
export function referenceToolsSkipReason(): string | undefined {
  return requireInCi('the reference tools (python3-pydicom, python3-numpy, dcmtk)', referenceToolsMissing() ?? true);
}

/** Runs a Python script with Debian's python3; returns its stdout. Arguments arrive in sys.argv[1:]. */
export function runPython(script: string, args: readonly string[] = []): string {
  return execFileSync(SYSTEM_PYTHON, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs a Python script that prints one JSON document, and parses it. */
export function runPythonJson<T>(script: string, args: readonly string[] = []): T {
  return JSON.parse(runPython(script, args)) as T;
}

/** dcmdump of a file (options first, e.g. '+P', '0010,0010'): its exit status, the dump, and its warnings and errors. */
export function dcmdump(path: string, ...options: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync('dcmdump', [...options, path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
