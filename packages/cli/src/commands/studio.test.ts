import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));

describe('cvf studio', () => {
  it('refuses a non-loopback host without --token, naming the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvf-studio-cli-'));
    const result = await runCli('studio', '--host', '0.0.0.0', '--port', '0', '--store', join(dir, '.cvf'), '--configs', dir);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/STUDIO_OPTIONS_INVALID.*0\.0\.0\.0.*--token/);
  });

  it('refuses a bad --port and --concurrency as usage errors', async () => {
    expect((await runCli('studio', '--port', '70000')).exitCode).not.toBe(0);
    expect((await runCli('studio', '--concurrency', '0')).exitCode).not.toBe(0);
  });

  it('prints its URL, serves the API with isolation headers, and stops on Ctrl-C (SIGINT)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvf-studio-cli-'));
    mkdirSync(join(dir, 'configs'));
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', main, 'studio', '--port', '0', '--store', join(dir, '.cvf'), '--configs', join(dir, 'configs')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout);
        if (found) resolve(found[0]);
      });
      child.on('close', (code) => reject(new Error(`cvf studio exited with ${code} before printing its URL: ${stderr}`)));
    });
    const info = await fetch(`${url}api/info`);
    expect(info.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(await info.json()).toMatchObject({ store: join(dir, '.cvf'), configsDir: join(dir, 'configs'), concurrency: 1, dicomweb: null });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(`${url}api/info`)).rejects.toThrow();
  });
});
