import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Node-only access to the reference DICOM tools that tests and conformance checks compare with:
 * Debian's pydicom (through /usr/bin/python3, not a pyenv `python3` without it) and dcmtk.
 */
export const SYSTEM_PYTHON = '/usr/bin/python3';
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
      missing = `reference tools unavailable (python3-pydicom, python3-numpy and dcmtk from scripts/setup.sh): ${(error as Error).message.split('\n')[0]}`;
    }
  }
  return missing ?? undefined;
}

/**
 * For test files: the reason to skip when the reference tools are missing — except in CI on Linux,
 * where set-up installs them and their absence is a failure, never a silent pass.
 */
export function referenceToolsSkipReason(): string | undefined {
  const reason = referenceToolsMissing();
  if (!reason) return undefined;
  if (process.env.CI === 'true' && process.platform === 'linux') throw new Error(`CI=true on Linux requires the reference tools, but: ${reason}`);
  console.warn(`tests skipped: ${reason}`);
  return reason;
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
