import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI_VERSION } from './version.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const script = join(repo, 'scripts', 'install-cli.sh');

describe('scripts/install-cli.sh', () => {
  it('puts cvf on the PATH of a prefix, where it runs from any folder, and takes it away again', () => {
    const prefix = mkdtempSync(join(tmpdir(), 'cvf-prefix-'));
    const installed = execFileSync('bash', [script, '--prefix', prefix], { encoding: 'utf8', env: { ...process.env, PATH: process.env.PATH } });
    expect(installed).toContain(`cvf ${CLI_VERSION} → ${join(prefix, 'bin', 'cvf')}`);
    expect(installed).toContain(`${join(prefix, 'bin')} is not on your PATH`);
    expect(lstatSync(join(prefix, 'bin', 'cvf')).isSymbolicLink()).toBe(true);

    // Found by name through PATH, in a folder outside the clone.
    const elsewhere = mkdtempSync(join(tmpdir(), 'cvf-elsewhere-'));
    const env = { ...process.env, PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH}` };
    const version = spawnSync('cvf', ['--version'], { cwd: elsewhere, env, encoding: 'utf8' });
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(CLI_VERSION);
    const help = spawnSync('cvf', ['--help'], { cwd: elsewhere, env, encoding: 'utf8' });
    expect(help.stdout).toMatch(/\n {2}train .*\n[\s\S]* {2}predict /);

    expect(execFileSync('bash', [script, '--uninstall', '--prefix', prefix], { encoding: 'utf8' })).toBe(`removed ${join(prefix, 'bin', 'cvf')}\n`);
    expect(existsSync(join(prefix, 'bin', 'cvf'))).toBe(false);
  });

  it('refuses to replace a file that is not its link, and unknown arguments', () => {
    const prefix = mkdtempSync(join(tmpdir(), 'cvf-prefix-'));
    execFileSync('mkdir', ['-p', join(prefix, 'bin')]);
    execFileSync('touch', [join(prefix, 'bin', 'cvf')]);
    const refused = spawnSync('bash', [script, '--prefix', prefix], { encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('exists and is not a link');
    const unknown = spawnSync('bash', [script, '--prefx', prefix], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown argument "--prefx"');
  });
});

describe('npm in this repository', () => {
  it('prints no warning about the project config (onnxruntime-node is kept from its download by allowScripts)', () => {
    const npm = spawnSync('npm', ['config', 'get', 'fund'], { cwd: repo, encoding: 'utf8' });
    expect(npm.status).toBe(0);
    expect(npm.stderr).not.toMatch(/Unknown project config/);
    const allowScripts = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> }).allowScripts;
    expect(allowScripts['onnxruntime-node']).toBe(false);
  });
});
