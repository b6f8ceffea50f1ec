import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandRuns, requireInCi } from '@cvf/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

/** `cvf ...args` in-process on the real command tree. */
const cvf = runCli;

// dcmtk's dump2dcm writes the fixtures.
const dcmtkMissing = requireInCi("dcmtk's dump2dcm", commandRuns('dump2dcm'));

describe.skipIf(dcmtkMissing)('cvf dicom inspect', () => {
  let dir: string;
  let ct: string;

  /** Writes a DICOM file with dcmtk's dump2dcm from dump lines and little-endian pixel words. */
  function dicom(name: string, lines: string[], pixels: Uint16Array): string {
    const raw = join(dir, `${name}.raw`);
    writeFileSync(raw, new Uint8Array(pixels.buffer));
    const dump = join(dir, `${name}.dump`);
    writeFileSync(dump, [...lines, `(7fe0,0010) OW =${raw}`, ''].join('\n'));
    const out = join(dir, `${name}.dcm`);
    execFileSync('dump2dcm', ['+te', dump, out], { stdio: 'ignore' });
    return out;
  }

  const imageLines = (bitsStored: number) => [
    '(0008,0016) UI =CTImageStorage',
    '(0008,0018) UI [1.2.826.0.1.3680043.10.1.99]',
    '(0008,0060) CS [CT]',
    '(0028,0002) US 1',
    '(0028,0004) CS [MONOCHROME2]',
    '(0028,0008) IS [2]',
    '(0028,0010) US 2',
    '(0028,0011) US 2',
    '(0028,0100) US 16',
    `(0028,0101) US ${bitsStored}`,
    `(0028,0102) US ${bitsStored - 1}`,
    '(0028,0103) US 1',
    '(0028,1050) DS [40\\-600]',
    '(0028,1051) DS [400\\1500]',
    '(0028,1052) DS [-1024]',
    '(0028,1053) DS [1]',
  ];
  // Two 2×2 frames of 12-bit signed values with junk in the top 4 bits: -1024, 1024, 16, 2047 | 0, 1, -2, 2.
  const words = new Uint16Array([0xf000 | 0x0c00, 0x0400, 0x0010, 0x07ff, 0x0000, 0x0001, 0xfffe, 0x0002]);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-dicom-inspect-'));
    ct = dicom('ct', imageLines(12), words);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('prints the file as JSON: encoding, geometry, rescale, the first window, and the stored-value range', async () => {
    const result = await cvf('dicom', 'inspect', ct, '--json');
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      transferSyntaxUID: '1.2.840.10008.1.2.1',
      rows: 2,
      columns: 2,
      frames: 2,
      samplesPerPixel: 1,
      bitsAllocated: 16,
      bitsStored: 12,
      pixelRepresentation: 1,
      photometricInterpretation: 'MONOCHROME2',
      modality: 'CT',
      rescale: { slope: 1, intercept: -1024 },
      window: { center: 40, width: 400 },
      pixel: { min: -1024, max: 2047, mean: 258 },
      sopClassUID: '1.2.840.10008.5.1.4.1.1.2',
      sopClass: 'CT Image Storage',
    });
    expect(Object.keys(JSON.parse(result.stdout))).toEqual([
      'transferSyntaxUID', 'rows', 'columns', 'frames', 'samplesPerPixel', 'bitsAllocated', 'bitsStored',
      'pixelRepresentation', 'photometricInterpretation', 'modality', 'rescale', 'window', 'pixel', 'sopClassUID', 'sopClass',
    ]);
  });

  it('prints the same as aligned lines without --json', async () => {
    const result = await cvf('dicom', 'inspect', ct);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('transfer syntax  1.2.840.10008.1.2.1 (Explicit VR Little Endian)');
    expect(result.stdout).toContain('window           center 40, width 400');
    expect(result.stdout).toContain('pixel            min -1024, max 2047, mean 258');
  });

  const errorCases: [string, () => string, string, RegExp][] = [
    ['a file that is not DICOM', () => writeText('notes.txt', 'x'.repeat(300)), 'DICOM_NOT_DICOM', /no "DICM" prefix at byte 128/],
    ['a truncated file', () => cut(ct, 0.8), 'DICOM_TRUNCATED', /truncated/],
    ['a file whose Image Pixel module lacks Bits Stored', () => dicom('nobits', imageLines(12).filter((l) => !l.startsWith('(0028,0101)')), words), 'DICOM_MALFORMED', /lacks BitsStored/],
    ['a missing file', () => join(dir, 'missing.dcm'), 'FILE_UNREADABLE', /no such file/],
    ['a device, which is never read', () => '/dev/zero', 'FILE_NOT_REGULAR', /DICOM file "\/dev\/zero" is not a regular file/],
  ];
  for (const [what, make, code, message] of errorCases) {
    it(`exits 2 with {"error":{"code","message"}} and no stack for ${what}`, async () => {
      const path = make();
      const json = await cvf('dicom', 'inspect', path, '--json');
      expect(json.exitCode).toBe(2);
      const printed = JSON.parse(json.stdout) as { error: { code: string; message: string } };
      expect(Object.keys(printed)).toEqual(['error']);
      expect(Object.keys(printed.error)).toEqual(['code', 'message']);
      expect(printed.error.code).toBe(code);
      expect(printed.error.message).toMatch(message);
      const human = await cvf('dicom', 'inspect', path);
      expect(human.exitCode).toBe(2);
      expect(human.stdout).toBe('');
      expect(human.stderr).toMatch(new RegExp(`^error \\[${code}\\]: `));
      expect(human.stderr).not.toMatch(/\n\s+at /);
    });
  }

  function writeText(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  function cut(path: string, fraction: number): string {
    const bytes = readFileSync(path);
    const out = join(dir, 'truncated.dcm');
    writeFileSync(out, bytes.subarray(0, Math.floor(bytes.length * fraction)));
    return out;
  }
});
