import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecondaryCapture, parseDicom, sequenceElement, tag, textElement, writeDicom } from '@cvf/medical';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

/** `cvf ...args` in-process on the real command tree. */
const cvf = runCli;

const STUDY = '1.2.826.0.1.3680043.2.1125.7.1';

function folder(): string {
  const root = mkdtempSync(join(tmpdir(), 'cvf-dicom-deid-'));
  mkdirSync(join(root, 'in', 'series'), { recursive: true });
  for (const n of [1, 2]) {
    const dataset = createSecondaryCapture({ rows: 1, columns: 2, pixels: Uint8Array.from([n, 9]), patientName: 'Roe^Richard', studyUID: STUDY, sopInstanceUID: `${STUDY}.${n}` });
    writeFileSync(join(root, 'in', 'series', `${n}.dcm`), writeDicom(dataset));
  }
  writeFileSync(join(root, 'in', 'readme.txt'), 'hello');
  return root;
}

const studyOf = (path: string) => parseDicom(new Uint8Array(readFileSync(path))).string('0020000D');

describe('cvf dicom deid', () => {
  it('de-identifies a folder into a mirror and prints the report as JSON', async () => {
    const root = folder();
    const run = await cvf('dicom', 'deid', join(root, 'in'), join(root, 'out'), '--secret', 'k', '--json');
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.written.map((w: { output: string }) => w.output)).toEqual([join(root, 'out', 'series', '1.dcm'), join(root, 'out', 'series', '2.dcm')]);
    expect(report.skipped).toEqual([{ path: join(root, 'in', 'readme.txt'), reason: expect.stringMatching(/not a DICOM Part 10 file/) }]);
    expect(report.failed).toEqual([]);
    const study = studyOf(join(root, 'out', 'series', '1.dcm'));
    expect(study).toBe(studyOf(join(root, 'out', 'series', '2.dcm')));
    expect(study).not.toBe(STUDY);
    expect(parseDicom(new Uint8Array(readFileSync(join(root, 'out', 'series', '1.dcm')))).string('00100010')).toBeUndefined();
    // The same --secret in another run gives the same UIDs.
    await cvf('dicom', 'deid', join(root, 'in', 'series', '1.dcm'), join(root, 'again.dcm'), '--secret', 'k');
    expect(studyOf(join(root, 'again.dcm'))).toBe(study);
  });

  it('summarises in text, and exits 1 when a DICOM file fails', async () => {
    const root = folder();
    writeFileSync(join(root, 'in', 'cut.dcm'), readFileSync(join(root, 'in', 'series', '1.dcm')).subarray(0, 400));
    const run = await cvf('dicom', 'deid', join(root, 'in'), join(root, 'out'));
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe(`de-identified 2 file(s) into ${join(root, 'out')}; skipped 1; failed 1\n`);
    expect(run.stderr).toMatch(/failed .*cut\.dcm: \[DICOM_TRUNCATED\]/);
  });

  it('--keep-private keeps private sequences but de-identifies their items (no original identifier left in the file)', async () => {
    const root = folder();
    const originals = ['Leak^Nested', 'NESTED-ID-4711', '19450321', 'Nested General Hospital', 'Doctor^Nested', '1.2.826.0.1.3680043.2.1125.99.4711'];
    const item = [
      textElement(tag(0x0010, 0x0010), 'PN', originals[0]!),
      textElement(tag(0x0010, 0x0020), 'LO', originals[1]!),
      textElement(tag(0x0010, 0x0030), 'DA', originals[2]!),
      textElement(tag(0x0008, 0x0080), 'LO', originals[3]!),
      textElement(tag(0x0008, 0x0090), 'PN', originals[4]!),
      textElement(tag(0x0020, 0x000d), 'UI', originals[5]!),
    ];
    const dataset = [
      ...createSecondaryCapture({ rows: 1, columns: 2, pixels: Uint8Array.from([1, 2]), studyUID: STUDY, sopInstanceUID: `${STUDY}.9` }),
      textElement(tag(0x0009, 0x0010), 'LO', 'ACME PRIVATE'),
      sequenceElement(tag(0x0009, 0x1001), [item]),
    ];
    writeFileSync(join(root, 'private.dcm'), writeDicom(dataset));
    const latin1 = (path: string) => new TextDecoder('latin1').decode(readFileSync(path));
    for (const original of originals) expect(latin1(join(root, 'private.dcm'))).toContain(original);
    const run = await cvf('dicom', 'deid', join(root, 'private.dcm'), join(root, 'private-deid.dcm'), '--keep-private', '--json');
    expect(run.exitCode).toBe(0);
    const out = latin1(join(root, 'private-deid.dcm'));
    for (const original of originals) expect(out, original).not.toContain(original);
    expect(out).toContain('ACME PRIVATE');
  });

  it('a single file into the folder that holds it says the output is an existing folder and what to pass instead', async () => {
    const root = folder();
    const input = join(root, 'in', 'series', '1.dcm');
    const before = readFileSync(input);
    const run = await cvf('dicom', 'deid', input, join(root, 'in', 'series'), '--json');
    expect(run.exitCode).toBe(2);
    const { error } = JSON.parse(run.stdout);
    expect(error.code).toBe('DEID_INVALID_OPTIONS');
    expect(error.message).toMatch(/is an existing folder that holds the input file "1\.dcm"/);
    expect(error.message).toMatch(/give an output file path \(e\.g\. ".*1-deid\.dcm"\), or pass a folder as input to write a folder/);
    expect(error.message).not.toMatch(/is the input file/);
    expect(readFileSync(input)).toEqual(before);
  });

  it.each([
    ['a missing input', (root: string) => [join(root, 'nope'), join(root, 'out')], 'FILE_UNREADABLE'],
    ['a single file that is not DICOM', (root: string) => [join(root, 'in', 'readme.txt'), join(root, 'out.dcm')], 'DICOM_NOT_DICOM'],
    ['an unknown policy', (root: string) => [join(root, 'in'), join(root, 'out'), '--policy', 'strict'], 'DEID_INVALID_OPTIONS'],
    ['an output inside the input', (root: string) => [join(root, 'in'), join(root, 'in', 'out')], 'DEID_INVALID_OPTIONS'],
  ])('%s exits 2 with {"error":{"code","message"}} and no stack', async (_name, args, code) => {
    const run = await cvf('dicom', 'deid', ...args(folder()), '--json');
    expect(run.exitCode).toBe(2);
    const { error } = JSON.parse(run.stdout);
    expect(error.code).toBe(code);
    expect(error.message).toEqual(expect.any(String));
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  });
});
