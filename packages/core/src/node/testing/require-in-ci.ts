/** Whether something a test needs from outside the repository is here: `true`, or why it is not. */
export type Availability = true | string;

/**
 * The one rule for tests that need something outside the repository (a WebGPU adapter, Chromium,
 * numpy, Orthanc, dcmtk, a dataset): where it is missing the tests are skipped with the reason
 * printed — except in CI on Linux (CI=true), where scripts/setup.sh installs all of them and a
 * missing one is a failure, so that no test passes in CI by quietly not running.
 * Returns the skip reason for `it.skipIf` / `describe.skipIf`, or undefined when it is available.
 */
export function requireInCi(what: string, availability: string): string;
export function requireInCi(what: string, availability: Availability): string | undefined;
export function requireInCi(what: string, availability: Availability): string | undefined {
  if (availability === true) return undefined;
  if (process.env.CI === 'true' && process.platform === 'linux') {
    throw new Error(`CI=true on Linux requires ${what} (scripts/setup.sh installs it), but: ${availability}`);
  }
  const reason = `tests that need ${what} skipped: ${availability}`;
  console.warn(reason);
  return reason;
}
