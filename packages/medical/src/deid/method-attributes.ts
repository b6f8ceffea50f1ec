import { sequenceElement, textElement, type DataElement } from '../writer/data-element.js';
import { tag } from '../writer/dicom-tag.js';
import { BASIC_PROFILE_CODE, DEID_OPTIONS, type DeidOptionName } from './deid-options.js';

export const DEIDENTIFICATION_METHOD = 'DICOM PS3.15 E.1 Basic Application Confidentiality Profile';

const codeItem = (value: string, meaning: string): DataElement[] => [
  textElement(tag(0x0008, 0x0100), 'SH', value),
  textElement(tag(0x0008, 0x0102), 'SH', 'DCM'),
  textElement(tag(0x0008, 0x0104), 'LO', meaning),
];

/**
 * The attributes that record what was done (PS3.15 E.1.1): Patient Identity Removed YES, the
 * De-identification Method (one LO value per profile and option), the Method Code Sequence (CID
 * 7050: the Basic Profile, then each option) and, when dates were kept, whether they were modified.
 */
export function methodAttributes(options: readonly DeidOptionName[]): DataElement[] {
  const added = [
    textElement(tag(0x0012, 0x0062), 'CS', 'YES'),
    textElement(tag(0x0012, 0x0063), 'LO', DEIDENTIFICATION_METHOD, ...options.map((o) => DEID_OPTIONS[o].meaning)),
    sequenceElement(tag(0x0012, 0x0064), [codeItem(BASIC_PROFILE_CODE.code, BASIC_PROFILE_CODE.meaning), ...options.map((o) => codeItem(DEID_OPTIONS[o].code, DEID_OPTIONS[o].meaning))]),
  ];
  // Longitudinal Temporal Information Modified (0028,0303).
  if (options.includes('retain-dates-shifted')) added.push(textElement(tag(0x0028, 0x0303), 'CS', 'MODIFIED'));
  else if (options.includes('retain-dates')) added.push(textElement(tag(0x0028, 0x0303), 'CS', 'UNMODIFIED'));
  return added;
}
