import { describe, expect, it } from 'vitest';
import { deidentifyLabels, readLabelsToDeidentify } from './deidentify-labels.js';
import { PatientPseudonyms } from './patient-pseudonym.js';
import { UidRemapper } from './uid-remapper.js';

describe('PatientPseudonyms', () => {
  it('gives one pseudonym per patient and secret, another under another secret, and keeps an empty ID empty', async () => {
    const a = await PatientPseudonyms.create('key-1');
    const again = await PatientPseudonyms.create(new TextEncoder().encode('key-1'));
    const other = await PatientPseudonyms.create('key-2');
    const pseudonym = await a.pseudonym('MRN-0042');
    expect(pseudonym).toMatch(/^ANON-[0-9A-F]{20}$/);
    expect(await a.pseudonym('MRN-0042 \0')).toBe(pseudonym);
    expect(await again.pseudonym('MRN-0042')).toBe(pseudonym);
    expect(await other.pseudonym('MRN-0042')).not.toBe(pseudonym);
    expect(await a.pseudonym('MRN-0043')).not.toBe(pseudonym);
    expect(await a.pseudonym('  ')).toBe('');
    expect([...a.mapping]).toEqual([['MRN-0042', pseudonym], ['MRN-0043', await a.pseudonym('MRN-0043')]]);
    // The pseudonym is not the UID mapping of the same text under the same key.
    expect(pseudonym).not.toContain((await (await UidRemapper.create('key-1')).remap('MRN-0042')).slice(5, 25));
    await expect(PatientPseudonyms.create('')).rejects.toMatchObject({ code: 'DEID_INVALID_OPTIONS' });
  });
});

describe('deidentifyLabels', () => {
  it('replaces UID and patientId columns with the mappings of the files, copies the rest, and counts rows that name no file', async () => {
    const remapper = await UidRemapper.create('k');
    const pseudonyms = await PatientPseudonyms.create('k');
    const newSop = await remapper.remap('1.2.3.1');
    const seen = { uids: new Set(['1.2.3.1']), patientIds: new Set(['P1']) };
    const csv = 'sopInstanceUID,patientId,label,note\n1.2.3.1,P1,abnormal,"round, 12 mm"\n1.2.3.9,P9,normal,\n';
    const labels = await deidentifyLabels(readLabelsToDeidentify(csv, 'labels.csv'), { remapper, pseudonyms, seen });
    expect(labels.text).toBe(
      `sopInstanceUID,patientId,label,note\n${newSop},${await pseudonyms.pseudonym('P1')},abnormal,"round, 12 mm"\n${await remapper.remap('1.2.3.9')},${await pseudonyms.pseudonym('P9')},normal,\n`,
    );
    expect(labels).toMatchObject({ rows: 2, columns: ['sopInstanceUID', 'patientId'], unmatched: 1 });
  });

  it('refuses a CSV with no identifier column, naming its columns and the ones it knows', () => {
    expect(() => readLabelsToDeidentify('path,label\na.dcm,normal\n', 'labels.csv')).toThrow(
      'labels.csv: no column to de-identify (columns: path, label); a labels file keyed by DICOM has one of sopInstanceUID, seriesInstanceUID, studyInstanceUID, patientId',
    );
  });
});
