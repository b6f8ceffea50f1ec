import { describe, expect, it } from 'vitest';
import { Rng, wilsonInterval } from '@cvf/core';
import { parseDicom } from '../dicom/parse-dicom.js';
import { textElement } from '../writer/data-element.js';
import { tag } from '../writer/dicom-tag.js';
import { createCtImage } from '../writer/ct-image.js';
import { writeDicom } from '../writer/write-dicom.js';
import { ageBandOf, yearsBetween, yearsOfAgeString } from './age-band.js';
import { subgroupAttribute } from './subgroup-attribute.js';
import { evaluateSubgroups, MISSING_VALUE } from './subgroup-evaluation.js';

interface CaseSpec {
  manufacturer: string;
  sex: 'F' | 'M';
  age?: string;
  birthDate?: string;
  institution?: string;
}

/** A small CT slice written by the project's writer and parsed back, with the subgroup attributes of `spec`. */
function ctFile(spec: CaseSpec, index: number) {
  const dataset = createCtImage({
    rows: 8,
    columns: 8,
    pixels: new Int16Array(64).fill(index),
    rescale: { slope: 1, intercept: -1024 },
    pixelSpacing: [1, 1],
    sliceThickness: 5,
    position: [0, 0, -index],
    patientId: `P${index}`,
    patientSex: spec.sex,
    studyDate: '20260115',
    ...(spec.birthDate && { patientBirthDate: spec.birthDate }),
    extra: [
      textElement(tag(0x0008, 0x0070), 'LO', spec.manufacturer),
      ...(spec.age ? [textElement(tag(0x0010, 0x1010), 'AS', spec.age)] : []),
      ...(spec.institution ? [textElement(tag(0x0008, 0x0080), 'LO', spec.institution)] : []),
    ],
  });
  return parseDicom(writeDicom(dataset));
}

describe('subgroup attributes of DICOM files', () => {
  it('reads Manufacturer, PatientSex, Modality, an age band and a salted institution hash', async () => {
    const file = ctFile({ manufacturer: 'ACME Imaging', sex: 'F', birthDate: '19600116', institution: 'St. Elsewhere Hospital' }, 1);
    const read = async (name: string, salt = 'salt-a') => (await subgroupAttribute(name, { salt })).read(file);
    expect(await read('Manufacturer')).toBe('ACME Imaging');
    expect(await read('PatientSex')).toBe('F');
    expect(await read('Modality')).toBe('CT');
    expect(await read('(0008,0070)')).toBe('ACME Imaging');
    // Born 16 Jan 1960, scanned 15 Jan 2026: still 65.
    expect(await read('AgeBand')).toBe('60-79');
    const site = await read('InstitutionName');
    expect(site).toMatch(/^site-[0-9a-f]{12}$/);
    expect(site).not.toContain('Elsewhere');
    expect(await read('InstitutionName')).toBe(site);
    expect(await read('InstitutionName', 'salt-b')).not.toBe(site);
    expect(await read('PatientAge')).toBe('60-79');
    expect(await read('BodyPartExamined')).toBeUndefined();
    await expect(subgroupAttribute('Manufactuer', { salt: '' })).rejects.toThrow(/"Manufactuer" is not a DICOM keyword.*Manufacturer/);
  });

  it('prefers the stated Patient Age and bands ages in days, weeks, months and years', async () => {
    const file = ctFile({ manufacturer: 'X', sex: 'M', age: '017Y', birthDate: '19000101' }, 2);
    expect(await (await subgroupAttribute('AgeBand', { salt: '' })).read(file)).toBe('0-17');
    expect(yearsOfAgeString('018M')).toBe(1.5);
    expect(yearsOfAgeString('45Y')).toBeUndefined();
    expect(yearsBetween('19800301', '20260301')).toBe(46);
    expect(yearsBetween('19800302', '20260301')).toBe(45);
    expect(yearsBetween('2030', '20260301')).toBeUndefined();
    expect([0, 17, 18, 39, 40, 60, 79, 80, 101].map(ageBandOf)).toEqual(['0-17', '0-17', '18-39', '18-39', '40-59', '60-79', '60-79', '80+', '80+']);
  });
});

describe('subgroup evaluation on DICOM data from two manufacturers and both sexes', () => {
  // 64 cases; the model finds every abnormal case of manufacturer A and misses half of B's.
  const rng = new Rng(9);
  const specs: CaseSpec[] = Array.from({ length: 64 }, (_, i) => ({ manufacturer: i % 2 === 0 ? 'Vendor A' : 'Vendor B', sex: i % 4 < 2 ? 'F' : 'M', ...(i % 8 === 7 ? {} : { age: '050Y' }) }));
  const files = specs.map(ctFile);
  const labels = Int32Array.from(specs, (_, i) => (i % 3 === 0 ? 1 : 0));
  const predictions = Int32Array.from(labels, (label, i) => (label === 1 && specs[i]!.manufacturer === 'Vendor B' && i % 2 === 1 && rng.next() < 0.6 ? 0 : label));
  const probabilities = Float64Array.from({ length: 128 }, (_, k) => {
    const p = predictions[k >> 1] === 1 ? 0.8 : 0.2;
    return k % 2 === 1 ? p : 1 - p;
  });
  const input = { labels, probabilities, predictions, referred: null, classes: ['normal', 'abnormal'] };

  async function analysis(name: string) {
    const attribute = await subgroupAttribute(name, { salt: 's' });
    const values = await Promise.all(files.map((file) => attribute.read(file)));
    return evaluateSubgroups(input, values, attribute, { resamples: 50, seed: 3 });
  }

  it('gives each manufacturer its own table with Wilson intervals over its own cases', async () => {
    const byMaker = await analysis('Manufacturer');
    expect(byMaker.groups.map((g) => [g.value, g.samples])).toEqual([
      ['Vendor A', 32],
      ['Vendor B', 32],
    ]);
    const [a, b] = byMaker.groups;
    const tableOf = (group: typeof a) => group!.evaluation.operatingPoint.perClass[1]!;
    expect(tableOf(a).sensitivity.estimate).toBe(1);
    const missedByB = tableOf(b).counts.fn;
    expect(missedByB).toBeGreaterThan(0);
    expect(tableOf(b).sensitivity).toEqual(wilsonInterval(tableOf(b).counts.tp, tableOf(b).support));
    // The largest sensitivity gap of the abnormal class is between the two makers, with both intervals.
    const gap = byMaker.gaps.find((g) => g.label === 'abnormal' && g.metric === 'sensitivity')!;
    expect(gap.highest.group).toBe('Vendor A');
    expect(gap.lowest.group).toBe('Vendor B');
    expect(gap.difference).toBeCloseTo(1 - tableOf(b).sensitivity.estimate, 12);
    expect(gap.lowest.low).toBe(tableOf(b).sensitivity.low);
    expect(gap.highest.high).toBe(tableOf(a).sensitivity.high);
    expect(gap.separated).toBe(gap.lowest.high < gap.highest.low);
  });

  it('splits by sex into two groups, and puts cases without the attribute in (missing)', async () => {
    const bySex = await analysis('PatientSex');
    expect(bySex.groups.map((g) => g.value).sort()).toEqual(['F', 'M']);
    expect(bySex.groups.reduce((n, g) => n + g.samples, 0)).toBe(64);
    const byAge = await analysis('AgeBand');
    expect(byAge.groups.map((g) => [g.value, g.samples])).toEqual([
      ['40-59', 56],
      [MISSING_VALUE, 8],
    ]);
  });
});
