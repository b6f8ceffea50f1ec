import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecondaryCapture, parseDicom, tag, textElement, writeDicom } from '@cvf/medical';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

describe('cvf dicom deid --option', () => {
  it('applies the PS3.15 options asked for and records each in the Method Code Sequence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvf-deid-option-'));
    const dataset = createSecondaryCapture({
      rows: 1,
      columns: 2,
      pixels: Uint8Array.from([3, 9]),
      patientId: 'PID-77',
      patientName: 'Roe^Richard',
      studyDate: '20240131',
      sopInstanceUID: '2.25.4242',
      extra: [textElement(tag(0x0008, 0x1010), 'SH', 'MR-SCANNER-2')],
    });
    writeFileSync(join(dir, 'in.dcm'), writeDicom(dataset));
    const key = join(dir, 'deid.key');
    const run = await runCli('dicom', 'deid', join(dir, 'in.dcm'), join(dir, 'out.dcm'), '--key-file', key, '--option', 'retain-device-identity', '--option', 'retain-dates-shifted', '--json');
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).options).toEqual(['retain-dates-shifted', 'retain-device-identity']);
    const out = parseDicom(new Uint8Array(readFileSync(join(dir, 'out.dcm'))));
    expect(out.string('00081010')).toBe('MR-SCANNER-2');
    expect(out.string('00080020')).toMatch(/^\d{8}$/);
    expect(out.string('00080020')).not.toBe('20240131');
    expect(out.string('00120062')).toBe('YES');
    // The same key file shifts the same patient's dates alike in another run.
    await runCli('dicom', 'deid', join(dir, 'in.dcm'), join(dir, 'again.dcm'), '--key-file', key, '--option', 'retain-dates-shifted');
    expect(parseDicom(new Uint8Array(readFileSync(join(dir, 'again.dcm')))).string('00080020')).toBe(out.string('00080020'));

    const bad = await runCli('dicom', 'deid', join(dir, 'in.dcm'), join(dir, 'bad.dcm'), '--option', 'retain-all', '--json');
    expect(bad.exitCode).toBe(2);
    expect(JSON.parse(bad.stdout).error).toMatchObject({ code: 'DEID_INVALID_OPTIONS', message: expect.stringContaining('"retain-all" is not one of') });
  });
});
