import { encodePng, imageTensor } from '@cvf/core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

// The committed schema v1 bundle of @cvf/core's tests (28×28 gray images, 3 similar cases).
const BUNDLE = fileURLToPath(new URL('../../../core/src/bundle/fixtures/v1/bundle', import.meta.url));

interface FileResult {
  file: string;
  label?: string;
  similar?: unknown[];
  error?: { code: string; message: string };
}

/** A 28×28 gray PNG: a bright square on dark, moved by `shift`. */
async function png(path: string, shift: number): Promise<string> {
  const pixels = new Uint8Array(28 * 28);
  for (let y = 6; y < 20; y++) for (let x = 6 + shift; x < 20 + shift; x++) pixels[y * 28 + x] = 220;
  writeFileSync(path, await encodePng(imageTensor('u8', { height: 28, width: 28, channels: 1 }, pixels)));
  return path;
}

it('cvf predict refuses a device or a FIFO as an image at once, with a code, instead of reading it forever', async () => {
  const zero = await runCli('predict', BUNDLE, '/dev/zero', '--device', 'cpu', '--json');
  expect(zero.exitCode).toBe(1);
  expect(JSON.parse(zero.stdout)).toEqual([{ file: '/dev/zero', error: { code: 'FILE_NOT_REGULAR', message: expect.stringContaining('image "/dev/zero" is not a regular file (a device)') } }]);
  const fifo = join(mkdtempSync(join(tmpdir(), 'cvf-fifo-')), 'in.png');
  execFileSync('mkfifo', [fifo]);
  const piped = await runCli('predict', BUNDLE, fifo, '--device', 'cpu', '--json');
  expect(JSON.parse(piped.stdout)[0].error.code).toBe('FILE_NOT_REGULAR');
});

describe('cvf predict with many inputs', () => {
  let dir: string;
  let good: string[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-predict-inputs-'));
    mkdirSync(join(dir, 'scans', 'deeper'), { recursive: true });
    mkdirSync(join(dir, 'scans', '.hidden'));
    good = [await png(join(dir, 'scans', 'a.png'), 0), await png(join(dir, 'scans', 'b.png'), 4)];
    await png(join(dir, 'scans', 'deeper', 'c.png'), 2);
    await png(join(dir, 'scans', '.hidden', 'x.png'), 2);
    writeFileSync(join(dir, 'scans', 'notes.txt'), 'not an image\n');
  });

  it('one bad file among good ones: the others are predicted, the bad one is an error naming it, exit code 1', async () => {
    const broken = join(dir, 'broken.png');
    writeFileSync(broken, 'not a png at all');
    const result = await runCli('predict', BUNDLE, good[0]!, broken, good[1]!, '--device', 'cpu', '--json');
    expect(result.exitCode).toBe(1);
    const files = JSON.parse(result.stdout) as FileResult[];
    expect(files.map((f) => f.file)).toEqual([good[0], broken, good[1]]);
    expect(files[0]!.label).toEqual(expect.any(String));
    expect(files[2]!.label).toEqual(expect.any(String));
    expect(files[1]!.error).toEqual({ code: expect.stringMatching(/^(IMAGE|INPUT)_/), message: expect.stringContaining(broken) });
  });

  it('without --json, predictions go to stdout and each failed file to stderr with its name', async () => {
    const missing = join(dir, 'missing.png');
    const result = await runCli('predict', BUNDLE, good[0]!, missing, '--device', 'cpu');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^${good[0]}: \\w+ \\d+\\.\\d%`));
    expect(result.stderr).toBe(`error [FILE_UNREADABLE]: cannot read image "${missing}": no such file\n`);
  });

  it('a folder is its images (not its text files, hidden files or subfolders); -r adds the subfolders', async () => {
    const flat = JSON.parse((await runCli('predict', BUNDLE, join(dir, 'scans'), '--device', 'cpu', '--json')).stdout) as FileResult[];
    expect(flat.map((f) => f.file)).toEqual(good);
    const deep = await runCli('predict', BUNDLE, join(dir, 'scans'), '-r', '--device', 'cpu', '--json');
    expect(deep.exitCode).toBe(0);
    expect((JSON.parse(deep.stdout) as FileResult[]).map((f) => f.file)).toEqual([...good, join(dir, 'scans', 'deeper', 'c.png')]);
  });

  it('a folder without images is an error that points at -r when it has subfolders', async () => {
    mkdirSync(join(dir, 'empty', 'sub'), { recursive: true });
    const result = await runCli('predict', BUNDLE, join(dir, 'empty'), '--device', 'cpu', '--json');
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([{ file: join(dir, 'empty'), error: { code: 'FILE_UNREADABLE', message: expect.stringContaining('holds no images') } }]);
    expect(JSON.parse(result.stdout)[0].error.message).toContain('-r');
  });

  it('--similar 0 leaves the similar cases out; the default is the bundle index k', async () => {
    const none = JSON.parse((await runCli('predict', BUNDLE, good[0]!, '--similar', '0', '--device', 'cpu', '--json')).stdout) as FileResult[];
    expect(none[0]!.similar).toEqual([]);
    const text = await runCli('predict', BUNDLE, good[0]!, '--similar', '0', '--device', 'cpu');
    expect(text.stdout).not.toContain('similar:');
    const some = JSON.parse((await runCli('predict', BUNDLE, good[0]!, '--device', 'cpu', '--json')).stdout) as FileResult[];
    expect(some[0]!.similar!.length).toBeGreaterThan(0);
  });
});
