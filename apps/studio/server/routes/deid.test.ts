import { createSecondaryCapture, parseDicom, tag, textElement, writeDicom } from '@cvf/medical';
import { requireInCi } from '@cvf/core/testing';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEID_PROFILE_URL, DEIDENTIFY_URL } from '../../src/api/deid-schema.js';
import { startStudioFixture, type StudioFixture } from '../testing/studio-fixture.js';

// The studio's de-identification path over a real server: the profile it was started with, the
// same options and codes as cvf dicom deid --option, read back by dcmdump.
const skip = requireInCi('dcmtk (dcmdump)', spawnSync('dcmdump', ['--version']).status === 0 || 'no dcmdump on PATH');

describe.skipIf(skip)('the studio de-identification profile', () => {
  let fixture: StudioFixture;
  beforeAll(async () => {
    fixture = await startStudioFixture({ deidOptions: ['retain-device-identity', 'retain-dates-shifted'] });
  });
  afterAll(() => fixture.close());

  const file = (sop: string, date: string) =>
    writeDicom(createSecondaryCapture({ rows: 1, columns: 2, pixels: Uint8Array.from([1, 2]), patientId: 'PID-9', patientName: 'Roe^Richard', studyDate: date, sopInstanceUID: sop, extra: [textElement(tag(0x0008, 0x1010), 'SH', 'US-CART-7')] }));
  const post = (body: Uint8Array, type = 'application/dicom') => fetch(`${fixture.base}${DEIDENTIFY_URL}`, { method: 'POST', headers: { 'content-type': type, origin: fixture.base }, body: new Uint8Array(body) });

  it('says which options it applies', async () => {
    const profile = (await (await fetch(`${fixture.base}${DEID_PROFILE_URL}`)).json()) as { options: { name: string; code: string }[] };
    expect(profile.options.map((o) => [o.name, o.code])).toEqual([['retain-dates-shifted', '113107'], ['retain-device-identity', '113109']]);
  });

  it('answers an uploaded file de-identified with the studio profile, recorded in (0012,0064), one date shift per patient across uploads', async () => {
    const first = await post(file('2.25.71', '20240131'));
    expect(first.status).toBe(200);
    expect(first.headers.get('x-deid-options')).toBe('retain-dates-shifted,retain-device-identity');
    const bytes = new Uint8Array(await first.arrayBuffer());
    const path = join(mkdtempSync(join(tmpdir(), 'cvf-studio-deid-')), 'out.dcm');
    writeFileSync(path, bytes);
    const dump = spawnSync('dcmdump', [path], { encoding: 'utf8' });
    expect(dump.status, dump.stderr).toBe(0);
    expect([...dump.stdout.matchAll(/\(0008,0100\) SH \[(\d+)\]/g)].map((m) => m[1])).toEqual(['113100', '113107', '113109']);
    expect(dump.stdout).toMatch(/\(0012,0062\) CS \[YES\]/);
    expect(dump.stdout).toContain('US-CART-7');
    expect(dump.stdout).not.toContain('Roe');
    const out = parseDicom(bytes);
    const shifted = out.string('00080020')!;
    expect(shifted).toMatch(/^\d{8}$/);
    expect(shifted).not.toBe('20240131');
    // Another upload of the same patient, a day later: shifted by the same offset, and the same pseudonym.
    const second = parseDicom(new Uint8Array(await (await post(file('2.25.72', '20240201'))).arrayBuffer()));
    const nextDay = new Date(Date.parse(`${shifted.slice(0, 4)}-${shifted.slice(4, 6)}-${shifted.slice(6)}`) + 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    expect(second.string('00080020')).toBe(nextDay);
    expect(second.string('00100020')).toBe(out.string('00100020'));
  });

  it('refuses what is not one DICOM file', async () => {
    expect((await post(new TextEncoder().encode('{}'), 'application/json')).status).toBe(415);
    expect((await post(new TextEncoder().encode('not dicom at all'))).status).toBe(400);
  });
});
