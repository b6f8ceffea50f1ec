import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDicom } from '../dicom/index.js';
import { dcmdump, referenceToolsSkipReason } from '../node/reference-tools.js';
import { createSecondaryCapture, sequenceElement, tag, textElement, writeDicom } from '../writer/index.js';
import { profileAttribute } from './basic-profile.js';
import { cleanDescriptor, identifyingValues } from './clean-descriptor.js';
import { DateShifter, MAX_SHIFT_DAYS, shiftTemporalValue } from './date-shift.js';
import { checkDeidOptions, DEID_OPTION_NAMES, OPTION_ATTRIBUTES } from './deid-options.js';
import { deidentifyDicom } from './deidentify.js';
import { elementTree } from './element-tree.js';

const skip = referenceToolsSkipReason();
const dir = mkdtempSync(join(tmpdir(), 'cvf-deid-options-'));

/** A CT-like file with dates, device and institution identity, patient characteristics and descriptors that name the patient. */
function source(patientId: string, studyDate: string, sop: string): Uint8Array {
  return writeDicom(
    createSecondaryCapture({
      rows: 2,
      columns: 2,
      pixels: Uint8Array.from([1, 2, 3, 4]),
      patientId,
      patientName: 'Roe^Richard^Q',
      patientBirthDate: '19600214',
      patientSex: 'M',
      studyDate,
      studyTime: '101500',
      accessionNumber: 'ACC778812',
      studyDescription: `CT CHEST Roe ${patientId}`,
      sopInstanceUID: sop,
      modality: 'CT',
      extra: [
        textElement(tag(0x0008, 0x0021), 'DA', studyDate), // Series Date
        textElement(tag(0x0008, 0x002a), 'DT', `${studyDate}101501.25+0100`), // Acquisition DateTime
        textElement(tag(0x0008, 0x1010), 'SH', 'CT-ROOM-3'), // Station Name
        textElement(tag(0x0018, 0x1000), 'LO', 'SN-44821'), // Device Serial Number
        textElement(tag(0x0008, 0x0080), 'LO', 'General Hospital'), // Institution Name
        textElement(tag(0x0010, 0x1010), 'AS', '063Y'), // Patient's Age
        textElement(tag(0x0010, 0x1030), 'DS', '81.5'), // Patient's Weight
        textElement(tag(0x0008, 0x103e), 'LO', 'AX 3mm richard roe 14.02.1960'), // Series Description
        textElement(tag(0x0020, 0x4000), 'LT', 'seen by Dr Smith on 2024-01-31, MRN 99887766'), // Image Comments
        textElement(tag(0x0008, 0x0090), 'PN', 'Smith^Anna'), // Referring Physician's Name
        sequenceElement(tag(0x0008, 0x1115), [[textElement(tag(0x0008, 0x0021), 'DA', studyDate)]]), // a date inside a sequence
      ],
    }),
  );
}

describe('the options table', () => {
  it('names only rows of the Basic Profile, and checks the options it is given', () => {
    for (const name of DEID_OPTION_NAMES) for (const t of OPTION_ATTRIBUTES[name]) expect(profileAttribute(t), `${name} ${t}`).toBeDefined();
    expect(checkDeidOptions(['clean-descriptors', 'retain-device-identity'])).toEqual(['retain-device-identity', 'clean-descriptors']);
    expect(() => checkDeidOptions(['retain-everything'])).toThrow(/"retain-everything" is not one of retain-dates-shifted, retain-dates, /);
    expect(() => checkDeidOptions(['retain-dates', 'retain-dates-shifted'])).toThrow(/contradict/);
  });
});

describe('date shifts', () => {
  it('move DA and DT values by whole days, ranges and UTC offsets included, and empty what cannot move exactly', () => {
    expect(shiftTemporalValue('20240301', 'DA', -1)).toBe('20240229');
    expect(shiftTemporalValue('20240101-20240131', 'DA', -365)).toBe('20230101-20230131');
    expect(shiftTemporalValue('20240301101501.25+0100', 'DT', -1)).toBe('20240229101501.25+0100');
    expect(shiftTemporalValue('2024', 'DT', -1)).toBe('');
    expect(shiftTemporalValue('20241345', 'DA', -1)).toBe('');
    expect(shiftTemporalValue('101500', 'TM', -10)).toBe('101500');
  });

  it('are one offset per patient, from the key: the same patient and key agree, another patient differs', async () => {
    const a = await DateShifter.create('key-1');
    const b = await DateShifter.create('key-1');
    const offset = await a.offsetDays('P1');
    expect(offset).toBeLessThan(0);
    expect(offset).toBeGreaterThanOrEqual(-MAX_SHIFT_DAYS);
    expect(await b.offsetDays('P1 ')).toBe(offset);
    const others = await Promise.all(['P2', 'P3', 'P4', 'P5'].map((p) => a.offsetDays(p)));
    expect(others.some((o) => o !== offset)).toBe(true);
  });
});

describe('descriptor cleaning', () => {
  it('finds the names, IDs and birth date of a data set, at any depth', () => {
    const { dataset } = elementTree(parseDicom(source('MRN-4411', '20240131', '2.25.1')));
    const identifying = identifyingValues(dataset);
    for (const v of ['Roe^Richard^Q', 'Roe', 'Richard', 'MRN-4411', 'ACC778812', '19600214', '14.02.1960', '1960-02-14', 'Smith', 'Anna']) expect(identifying).toContain(v);
    // Initials and the clinical values are not identifying.
    expect(identifying).not.toContain('Q');
    expect(identifying).not.toContain('CT');
  });

  it('takes those out of free text with dates and long digit runs, and keeps the clinical words', () => {
    expect(cleanDescriptor('CT CHEST Roe MRN-4411', ['MRN-4411', 'Roe'])).toBe('CT CHEST * *');
    expect(cleanDescriptor('AX 3mm richard 14.02.1960', ['Richard'])).toBe('AX 3mm * *');
    expect(cleanDescriptor('called 0612345678', [])).toBe('called *');
    // Whole words only: "Roe" is not taken out of "Roentgen".
    expect(cleanDescriptor('Roentgen view', ['Roe'])).toBe('Roentgen view');
  });
});

describe.skipIf(skip)('de-identification with options, read by dcmdump', () => {
  it('records the Basic Profile and every option in (0012,0064), shifts dates per patient, keeps device identity and cleans descriptors', async () => {
    const options = ['retain-dates-shifted', 'retain-device-identity', 'retain-patient-characteristics', 'clean-descriptors'] as const;
    const secret = 'site-key';
    const first = await deidentifyDicom(source('MRN-4411', '20240131', '2.25.11'), { secret, profileOptions: options });
    const second = await deidentifyDicom(source('MRN-4411', '20240305', '2.25.12'), { secret, profileOptions: options });
    const other = await deidentifyDicom(source('MRN-9000', '20240131', '2.25.13'), { secret, profileOptions: options });
    const path = join(dir, 'options.dcm');
    writeFileSync(path, first.bytes);
    const dump = dcmdump(path, '+P', '0012,0064', '+P', '0012,0062', '+P', '0012,0063', '+P', '0028,0303');
    expect(dump.status, dump.stderr).toBe(0);
    expect(dump.stderr).toBe('');
    const codes = [...dcmdump(path).stdout.matchAll(/\(0008,0100\) SH \[(\d+)\]/g)].map((m) => m[1]);
    expect(codes).toEqual(['113100', '113107', '113109', '113108', '113105']);
    expect(dump.stdout).toMatch(/\(0012,0062\) CS \[YES\]/);
    expect(dump.stdout).toMatch(/\(0028,0303\) CS \[MODIFIED\]/);
    expect(dump.stdout).toContain('Retain Longitudinal Temporal Information Modified Dates Option');

    const full = dcmdump(path).stdout;
    const value = (t: string, text = full) => new RegExp(`\\(${t}\\) \\w\\w \\[([^\\]]*)\\]`).exec(text)?.[1];
    // Dates: shifted (not removed, not the original), the same shift for the patient's two studies, the time of day kept.
    const studyDate = value('0008,0020')!;
    expect(studyDate).toMatch(/^\d{8}$/);
    expect(studyDate).not.toBe('20240131');
    const days = (a: string, b: string) => (Date.parse(`${a.slice(0, 4)}-${a.slice(4, 6)}-${a.slice(6)}`) - Date.parse(`${b.slice(0, 4)}-${b.slice(4, 6)}-${b.slice(6)}`)) / 86_400_000;
    const shift = days(studyDate, '20240131');
    expect(shift).toBeLessThan(0);
    expect(parseDicom(second.bytes).string('00080020')).toBe(((d) => d)(new Date(Date.parse('2024-03-05') + shift * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '')));
    expect(parseDicom(other.bytes).string('00080020')).not.toBe(studyDate);
    expect(value('0008,0030')).toBe('101500');
    expect(value('0008,0021')).toBe(studyDate);
    expect(value('0008,002a')).toMatch(new RegExp(`^${studyDate}101501\\.25\\+0100$`));
    expect(value('0008,0021', full.slice(full.indexOf('(0008,1115)')))).toBe(studyDate);
    // The birth date is never kept, shifted or not.
    expect(value('0010,0030') ?? '').toBe('');
    // Device identity kept; institution not asked for, so removed.
    expect(value('0008,1010')).toBe('CT-ROOM-3');
    expect(value('0018,1000')).toBe('SN-44821');
    expect(full).not.toContain('General Hospital');
    // Patient characteristics kept.
    expect(value('0010,1010')).toBe('063Y');
    expect(value('0010,0040')).toBe('M');
    // Descriptors kept but cleaned of the patient's name, IDs and dates.
    expect(value('0008,1030')).toBe('CT CHEST * *');
    expect(value('0008,103e')).toBe('AX 3mm * * *');
    expect(value('0020,4000')).toBe('seen by Dr * on *, MRN *');
    for (const secretValue of ['Roe', 'Richard', 'MRN-4411', 'ACC778812', '19600214', 'Smith']) expect(full).not.toContain(secretValue);
  });

  it('without options keeps the Basic Profile alone: dates emptied or removed, device identity removed, one code', async () => {
    const result = await deidentifyDicom(source('MRN-4411', '20240131', '2.25.21'), { secret: 'k' });
    const path = join(dir, 'basic.dcm');
    writeFileSync(path, result.bytes);
    const full = dcmdump(path).stdout;
    expect([...full.matchAll(/\(0008,0100\) SH \[(\d+)\]/g)].map((m) => m[1])).toEqual(['113100']);
    expect(full).not.toContain('CT-ROOM-3');
    expect(full).not.toContain('20240131');
    expect(full).not.toContain('(0028,0303)');
  });

  it('retain-uids keeps the SOP Instance UID in the data set and the file meta', async () => {
    const result = await deidentifyDicom(source('P', '20240131', '2.25.31'), { secret: 'k', profileOptions: ['retain-uids'] });
    const file = parseDicom(result.bytes);
    expect(file.string('00080018')).toBe('2.25.31');
    expect(file.meta.mediaStorageSOPInstanceUID).toBe('2.25.31');
  });
});
