import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { gpuForTests } from '@cvf/core/testing';

// The installed `cvf` bin, as a user runs it from the repo root (`npx cvf`), on the build that
// scripts/setup.sh made.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function cvf(...args: string[]): Promise<CliResult> {
  return exec('npx', ['--no-install', 'cvf', ...args]);
}

/** The same linked bin without npx in front (npx added ~0.7 s of CPU to each ~2.7 s call). */
async function cvfBin(...args: string[]): Promise<CliResult> {
  return exec(join(repoRoot, 'node_modules/.bin/cvf'), args);
}

async function exec(file: string, args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd: repoRoot, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as CliResult;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const gpu = await gpuForTests();
gpu.device?.destroy();

it('every command has --help', async () => {
  const top = await cvf('--help');
  expect(top.code).toBe(0);
  const commands = [...top.stdout.matchAll(/^ {2}(\w[\w-]*)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
  expect(commands).toEqual(expect.arrayContaining(['validate', 'doctor']));
  // Three lanes of child processes at once: each is mostly Node start-up and module loading.
  const lanes = [0, 1, 2].map((lane) => commands.filter((_, i) => i % 3 === lane));
  const helps = (await Promise.all(lanes.map(async (lane) => {
    const done: [string, CliResult][] = [];
    for (const command of lane) done.push([command, await cvfBin(command, '--help')]);
    return done;
  }))).flat();
  for (const [command, help] of helps) {
    expect(help.code, command).toBe(0);
    expect(help.stdout, command).toMatch(new RegExp(`Usage: cvf ${command}`));
  }
});

// Every kernel's cases on lavapipe: 12 s alone, but once past 120 s in CI beside the suite's
// browser WebGPU tests on the same two cores — hence its own, longer limit.
it('doctor --kernels --json reports the adapter, the ORT providers that ran, and ≥ 12 kernels agreeing on cpu and webgpu', async () => {
  const { code, stdout, stderr } = await cvf('doctor', '--kernels', '--json', '--seed', '5');
  expect(code, stderr).toBe(0);
  const report = JSON.parse(stdout);
  expect(report.onnxruntime.version).toMatch(/^\d+\.\d+\.\d+$/);
  expect(report.onnxruntime.executionProviders).toContain('cpu');
  expect(report.kernels.length).toBeGreaterThanOrEqual(12);
  for (const kernel of report.kernels) {
    expect(kernel.ok, kernel.name).toBe(true);
    expect(kernel.maxRelError, kernel.name).toBeLessThanOrEqual(kernel.tolerance);
  }
  if (gpu.device) {
    expect(report.webgpu.available).toBe(true);
    expect(report.webgpu.adapter.vendor).not.toBe('');
    expect(report.onnxruntime.executionProviders).toContain('webgpu');
    for (const kernel of report.kernels) expect(kernel.backends, kernel.name).toEqual(['cpu', 'webgpu']);
  } else {
    expect(report.webgpu).toMatchObject({ available: false, reason: expect.any(String) });
  }
}, 300_000);

it('an unknown command fails without a stack trace', async () => {
  const { code, stderr } = await cvf('frobnicate');
  expect(code).not.toBe(0);
  expect(stderr).toMatch(/unknown command/);
  expect(stderr).not.toMatch(/\n\s+at /);
});
