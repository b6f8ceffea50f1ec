import { isSoftwareAdapter } from '@cvf/core';
import { gpuForTests } from '@cvf/core/testing';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { wantsQuietLaunch } from './quiet-launch.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const main = fileURLToPath(new URL('./main.ts', import.meta.url));
// The committed schema v1 bundle of @cvf/core's tests.
const BUNDLE = fileURLToPath(new URL('../../core/src/bundle/fixtures/v1/bundle', import.meta.url));

const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());
const software = gpu.device?.adapter ? isSoftwareAdapter(gpu.device.adapter) : false;

/** `cvf ...args` as a user runs it: its own process (tsx as a loader), stderr captured. */
function cvf(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', main, ...args], { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('which commands run behind the stderr filter', () => {
  it('those that open a device, unless --verbose or already filtered', () => {
    expect(wantsQuietLaunch(['train', 'x.yaml'], {})).toBe(true);
    expect(wantsQuietLaunch(['predict', 'm@production', 'a.png', '--verbose'], {})).toBe(false);
    expect(wantsQuietLaunch(['runs', 'list'], {})).toBe(false);
    expect(wantsQuietLaunch(['--json', 'serve', 'm@production'], {})).toBe(true);
    expect(wantsQuietLaunch(['train', 'x.yaml'], { CVF_NATIVE_STDERR_FILTERED: '1' })).toBe(false);
  });
});

describe.skipIf(gpu.skip)('a command that opens Dawn', () => {
  it("prints none of Dawn's native warnings, and the software-adapter notice names the real switches", async () => {
    const { code, stderr } = await cvf('predict', BUNDLE, 'no-such-image.png', '--device', 'auto');
    expect(code).not.toBe(0);
    expect(stderr).not.toMatch(/^Warning: /m);
    expect(stderr).toContain('cannot read image "no-such-image.png"');
    if (software) expect(stderr).toContain('to run on it anyway set compute.device: webgpu in the pipeline, or pass --device webgpu --allow-software');
  });

  it.skipIf(!software)('shows them with --verbose (lavapipe warns about its limits on every start)', async () => {
    const { stderr } = await cvf('predict', BUNDLE, 'no-such-image.png', '--device', 'auto', '--verbose');
    expect(stderr).toMatch(/^Warning: maxDynamic\w+ artificially reduced/m);
  });
});
