import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandRuns } from './command.js';
import { pythonModules } from './python.js';
import { requireInCi } from './require-in-ci.js';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('requireInCi', () => {
  it('gives no skip reason when the dependency is there', () => {
    vi.stubEnv('CI', 'true');
    expect(requireInCi('numpy', true)).toBeUndefined();
  });

  it('outside CI, a missing dependency is a skip whose reason is printed', () => {
    vi.stubEnv('CI', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const reason = requireInCi('numpy (python3-numpy)', '/usr/bin/python3 cannot import numpy');
    expect(reason).toBe('tests that need numpy (python3-numpy) skipped: /usr/bin/python3 cannot import numpy');
    expect(warn).toHaveBeenCalledWith(reason);
  });

  it.runIf(process.platform === 'linux')('with CI=true on Linux, a missing dependency is a failure', () => {
    vi.stubEnv('CI', 'true');
    expect(() => requireInCi('Chromium', 'no Chromium at /usr/bin/chromium')).toThrow(
      'CI=true on Linux requires Chromium (scripts/setup.sh installs it), but: no Chromium at /usr/bin/chromium',
    );
  });
});

describe('availability probes', () => {
  it('a python module that does not exist is missing, with the reason', () => {
    const availability = pythonModules('cvf_no_such_module');
    expect(availability).toMatch(/cannot import cvf_no_such_module|does not exist/);
  });

  it('a command that does not exist, or fails, is missing; one that runs is there', () => {
    expect(commandRuns('cvf-no-such-command')).toMatch(/^cvf-no-such-command cannot be run: /);
    expect(commandRuns('node', ['-e', 'process.exit(3)'])).toBe('node -e process.exit(3) exited with status 3');
    expect(commandRuns('node')).toBe(true);
  });
});
