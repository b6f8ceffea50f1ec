import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

// The committed schema v1 bundle of @cvf/core's tests.
const BUNDLE = fileURLToPath(new URL('../../../core/src/bundle/fixtures/v1/bundle', import.meta.url));

it('cvf predict refuses a device or a FIFO as an image at once, with a code, instead of reading it forever', async () => {
  const zero = await runCli('predict', BUNDLE, '/dev/zero', '--device', 'cpu', '--json');
  expect(zero.exitCode).not.toBe(0);
  expect(JSON.parse(zero.stdout).error).toEqual({ code: 'FILE_NOT_REGULAR', message: expect.stringContaining('image "/dev/zero" is not a regular file (a device)') });
  const fifo = join(mkdtempSync(join(tmpdir(), 'cvf-fifo-')), 'in.png');
  execFileSync('mkfifo', [fifo]);
  const piped = await runCli('predict', BUNDLE, fifo, '--device', 'cpu', '--json');
  expect(JSON.parse(piped.stdout).error.code).toBe('FILE_NOT_REGULAR');
});
