import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDicom } from '../dicom/index.js';
import { createSecondaryCapture, writeDicom } from '../writer/index.js';
import { deidPath } from './deid-folder.js';

const STUDY = '1.2.826.0.1.3680043.2.1125.9.1';

function instance(n: number): Uint8Array {
  return writeDicom(createSecondaryCapture({
    rows: 2, columns: 2, pixels: Uint8Array.from([n, 2, 3, 4]), patientName: 'Doe^John', patientId: 'P-1', studyUID: STUDY,
    seriesUID: `${STUDY}.1`, sopInstanceUID: `${STUDY}.1.${n}`,
  }));
}

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'cvf-deid-folder-'));
  const input = join(root, 'in');
  mkdirSync(join(input, 'study', 'series'), { recursive: true });
  writeFileSync(join(input, 'study', 'a.dcm'), instance(1));
  writeFileSync(join(input, 'study', 'series', 'b'), instance(2)); // no extension: still DICOM
  writeFileSync(join(input, 'notes.txt'), 'not DICOM');
  writeFileSync(join(input, 'empty.dcm'), new Uint8Array(0));
  writeFileSync(join(input, 'study', 'truncated.dcm'), instance(3).subarray(0, 420));
  return root;
}

describe('deidPath', () => {
  it('mirrors a folder, de-identifies every DICOM file with one UID mapping, and reports what it left out', async () => {
    const root = tree();
    const progress: number[] = [];
    const report = await deidPath(join(root, 'in'), join(root, 'out'), { secret: 'folder', onFile: (done) => progress.push(done) });
    expect(report.written.map((w) => w.output.slice(root.length))).toEqual(['/out/study/a.dcm', '/out/study/series/b']);
    expect(report.skipped.map((s) => s.path.slice(root.length)).sort()).toEqual(['/in/empty.dcm', '/in/notes.txt']);
    expect(report.skipped[0]!.reason).toMatch(/not a DICOM Part 10 file/);
    expect(report.failed).toEqual([{ path: join(root, 'in', 'study', 'truncated.dcm'), code: 'DICOM_TRUNCATED', message: expect.stringMatching(/truncated/) }]);
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    expect(existsSync(join(root, 'out', 'notes.txt'))).toBe(false);
    const a = parseDicom(new Uint8Array(readFileSync(join(root, 'out', 'study', 'a.dcm'))));
    const b = parseDicom(new Uint8Array(readFileSync(join(root, 'out', 'study', 'series', 'b'))));
    expect(a.string('0020000D')).toBe(b.string('0020000D'));
    expect(a.string('0020000D')).not.toBe(STUDY);
    expect(a.string('00100010')).toBeUndefined();
    expect(a.string('00120062')).toBe('YES');
  });

  it('a single file goes to a file path or into an existing folder; its failure is thrown', async () => {
    const root = tree();
    const file = join(root, 'in', 'study', 'a.dcm');
    const named = await deidPath(file, join(root, 'one', 'anon.dcm'), { secret: 's' });
    expect(named.written[0]!.output).toBe(join(root, 'one', 'anon.dcm'));
    const into = await deidPath(file, join(root, 'one'), { secret: 's' });
    expect(into.written[0]!.output).toBe(join(root, 'one', 'a.dcm'));
    await expect(deidPath(join(root, 'in', 'notes.txt'), join(root, 'x.dcm'))).rejects.toMatchObject({ code: 'DICOM_NOT_DICOM' });
    await expect(deidPath(file, file)).rejects.toMatchObject({ code: 'DEID_INVALID_OPTIONS' });
  });

  it('refuses a missing input and an output folder inside the input', async () => {
    const root = tree();
    await expect(deidPath(join(root, 'missing'), join(root, 'out'))).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
    await expect(deidPath(join(root, 'in'), join(root, 'in', 'anon'))).rejects.toThrow(/inside the input folder/);
  });
});
