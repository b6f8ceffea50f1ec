import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

const GOOD = `version: 1
name: good
data:
  source: { kind: idx, images: images.gz, labels: labels.gz }
`;

const BROKEN = `version: 1
name: broken
data:
  source: { kind: idx, images: images.gz, labels: labels.gz }
train:
  epocs: 10
  optimizer: { kind: adma, lr: -1 }
`;

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));


/** `cvf ...args` in-process on the real command tree. */
const cvf = runCli;

describe('cvf validate', () => {
  let good: string;
  let broken: string;
  let missing: string;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cvf-validate-'));
    good = join(dir, 'good.yaml');
    broken = join(dir, 'broken.yaml');
    missing = join(dir, 'missing.yaml');
    await writeFile(good, GOOD);
    await writeFile(broken, BROKEN);
  });

  afterEach(() => {
    process.exitCode = undefined;
  });

  it('says a valid file is valid and exits 0', async () => {
    expect(await cvf('validate', good)).toEqual({ exitCode: 0, stdout: `${good}: valid\n`, stderr: '' });
  });

  it('prints {"file","valid":true} with --json', async () => {
    const result = await cvf('validate', good, '--json');
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ file: good, valid: true });
  });

  it('accepts both committed pipelines', async () => {
    for (const config of ['configs/fashion-mnist/train.yaml', 'configs/medical/train.yaml']) {
      const file = join(repoRoot, config);
      expect(await cvf('validate', file)).toEqual({ exitCode: 0, stdout: `${file}: valid\n`, stderr: '' });
    }
  });

  it('prints every issue as file:line:col: path: message on stderr and exits 2', async () => {
    const result = await cvf('validate', broken);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([
      `${broken}:6:3: train.epocs: unknown key "epocs" (did you mean "epochs"?); valid keys here: epochs, batchSize, optimizer, schedule, labelSmoothing, classWeights, gradientClip, earlyStopping, seed, checkpointEveryEpoch, pseudoLabel, pretrain, fixmatch`,
      `${broken}:7:22: train.optimizer.kind: expected one of sgd|adam|adamw, got "adma" (did you mean "adam"?)`,
      `${broken}:7:32: train.optimizer.lr: expected a number > 0, got -1`,
      '',
    ]);
  });

  it('prints {"error":{"code","message","issues"}} on stdout with --json and exits 2', async () => {
    const result = await cvf('validate', broken, '--json');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('');
    const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string; issues: unknown[] } };
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message.split('\n')).toHaveLength(3);
    expect(error.issues).toEqual([
      expect.objectContaining({ file: broken, line: 6, column: 3, path: 'train.epocs' }),
      expect.objectContaining({ file: broken, line: 7, column: 22, path: 'train.optimizer.kind' }),
      expect.objectContaining({ file: broken, line: 7, column: 32, path: 'train.optimizer.lr', message: 'expected a number > 0, got -1' }),
    ]);
  });

  it('reports a missing file as FILE_UNREADABLE and exits 2', async () => {
    const human = await cvf('validate', missing);
    expect(human).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `error [FILE_UNREADABLE]: cannot read pipeline config "${missing}": no such file\n`,
    });
    const json = await cvf('validate', missing, '--json');
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { code: 'FILE_UNREADABLE', message: `cannot read pipeline config "${missing}": no such file` },
    });
  });

  it('refuses a config over 1 MiB as FILE_TOO_LARGE before parsing, and echoes a long value once, shortened', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cvf-validate-'));
    const huge = join(dir, 'huge.yaml');
    await writeFile(huge, GOOD.replace('name: good', `name: ${'n'.repeat(2_000_000)}`));
    const refused = await cvf('validate', huge, '--json');
    expect(refused.exitCode).toBe(2);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'FILE_TOO_LARGE' });
    expect(refused.stdout.length).toBeLessThan(1000);

    // Under the limit, a long wrong value is quoted shortened, in the message and in the issue.
    const long = join(dir, 'long.yaml');
    await writeFile(long, `${GOOD}train: { optimizer: { kind: ${'k'.repeat(500_000)} } }\n`);
    const result = await cvf('validate', long, '--json');
    expect(result.exitCode).toBe(2);
    expect(result.stdout.length).toBeLessThan(2000);
    expect(JSON.parse(result.stdout).error.issues).toEqual([
      expect.objectContaining({ path: 'train.optimizer.kind', message: expect.stringContaining(`"${'k'.repeat(80)}…" (500000 characters)`) }),
    ]);
  });
});
