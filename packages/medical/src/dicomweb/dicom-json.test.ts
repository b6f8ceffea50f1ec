import { expect, it } from 'vitest';
import { dicomJsonItems, dicomJsonNumber, dicomJsonString, dicomJsonStrings, type DicomJsonDataset } from './dicom-json.js';

it('reads DICOM JSON values: text, person names, numbers, sequences, absent and empty values', () => {
  const dataset: DicomJsonDataset = {
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] },
    '00280008': { vr: 'IS', Value: [15] },
    '00281050': { vr: 'DS', Value: [40, '400'] },
    '00080060': { vr: 'CS', Value: [' '] },
    '00081199': { vr: 'SQ', Value: [{ '00081155': { vr: 'UI', Value: ['1.2.3'] } }] },
    '0020000D': { vr: 'UI' },
  };
  expect(dicomJsonString(dataset, '00100010')).toBe('Doe^Jane');
  expect(dicomJsonNumber(dataset, '00280008')).toBe(15);
  expect(dicomJsonStrings(dataset, '00281050')).toEqual(['40', '400']);
  expect(dicomJsonString(dataset, '00080060')).toBeUndefined();
  expect(dicomJsonString(dataset, '0020000d')).toBeUndefined();
  expect(dicomJsonNumber(dataset, '00100010')).toBeUndefined();
  expect(dicomJsonItems(dataset, '00081199').map((item) => dicomJsonString(item, '00081155'))).toEqual(['1.2.3']);
  expect(dicomJsonItems(dataset, '00081198')).toEqual([]);
});
