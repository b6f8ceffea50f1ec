import { CvfError } from '@cvf/core';

/** Exit codes of `cvf`: 0 success, 1 failure of the work, 2 bad input (config, arguments, files). */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Reports an error the way the CLI promises: `{"error":{"code","message"}}` on stdout with --json,
 * `error [CODE]: message` on stderr otherwise — never a stack trace (set CVF_DEBUG=1 for one).
 */
export function reportError(error: unknown, json: boolean): void {
  const known = error instanceof CvfError;
  const payload = known
    ? { code: error.code, message: error.message, ...(error.details ?? {}) }
    : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  if (json) printJson({ error: payload });
  else process.stderr.write(`error [${payload.code}]: ${payload.message}\n`);
  if (process.env.CVF_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
}

/** Runs a command's action: its return value is the exit code; errors are reported, not thrown. */
export async function runAction(json: boolean, action: () => Promise<number>, errorExitCode: number = EXIT.failed): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (error) {
    reportError(error, json);
    process.exitCode = errorExitCode;
  }
}
