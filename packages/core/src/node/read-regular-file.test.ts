import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readRegularFile } from './read-regular-file.js';

const dir = mkdtempSync(join(tmpdir(), 'cvf-read-'));
const file = join(dir, 'a.bin');
writeFileSync(file, new Uint8Array([1, 2, 3, 4]));

it('reads a regular file whole, through a symlink when allowed', async () => {
  expect(Array.from(await readRegularFile(file))).toEqual([1, 2, 3, 4]);
  symlinkSync(file, join(dir, 'link'));
  expect(Array.from(await readRegularFile(join(dir, 'link')))).toEqual([1, 2, 3, 4]);
  await expect(readRegularFile(join(dir, 'link'), { followSymlinks: false, what: 'bundle file' })).rejects.toMatchObject({ code: 'FILE_NOT_REGULAR', message: expect.stringContaining('bundle file') });
});

it('refuses devices, FIFOs and folders before reading, without blocking', async () => {
  await expect(readRegularFile('/dev/zero')).rejects.toMatchObject({ code: 'FILE_NOT_REGULAR', message: expect.stringContaining('a device') });
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  await expect(readRegularFile(fifo)).rejects.toMatchObject({ code: 'FILE_NOT_REGULAR', message: expect.stringContaining('a FIFO') });
  await expect(readRegularFile(dir)).rejects.toMatchObject({ code: expect.stringMatching(/^FILE_/) });
  await expect(readRegularFile(join(dir, 'missing'))).rejects.toMatchObject({ code: 'FILE_UNREADABLE', message: expect.stringContaining('no such file') });
});

it('checks the size before reading: a cap, and the size a manifest records', async () => {
  await expect(readRegularFile(file, { maxBytes: 3 })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringContaining('4 bytes') });
  await expect(readRegularFile(file, { expectedSize: 5 })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringContaining('not the 5 expected') });
  expect((await readRegularFile(file, { expectedSize: 4 })).length).toBe(4);
});
