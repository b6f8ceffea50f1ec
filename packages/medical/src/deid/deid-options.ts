import { DeidError } from '@cvf/core';
import { BASIC_PROFILE } from './basic-profile.js';

/**
 * The PS3.15 Annex E options this de-identifier applies on top of the Basic Profile, by the name
 * the CLI and the studio use, with the PS3.16 CID 7050 code each is recorded under in
 * De-identification Method Code Sequence (0012,0064).
 */
export const DEID_OPTIONS = {
  'retain-dates-shifted': { code: '113107', meaning: 'Retain Longitudinal Temporal Information Modified Dates Option' },
  'retain-dates': { code: '113106', meaning: 'Retain Longitudinal Temporal Information Full Dates Option' },
  'retain-device-identity': { code: '113109', meaning: 'Retain Device Identity Option' },
  'retain-institution-identity': { code: '113112', meaning: 'Retain Institution Identity Option' },
  'retain-patient-characteristics': { code: '113108', meaning: 'Retain Patient Characteristics Option' },
  'retain-uids': { code: '113110', meaning: 'Retain UIDs Option' },
  'clean-descriptors': { code: '113105', meaning: 'Clean Descriptors Option' },
} as const;
export type DeidOptionName = keyof typeof DEID_OPTIONS;
export const DEID_OPTION_NAMES = Object.keys(DEID_OPTIONS) as DeidOptionName[];

/** The Basic Profile's own code (CID 7050), always first in the sequence. */
export const BASIC_PROFILE_CODE = { code: '113100', meaning: 'Basic Application Confidentiality Profile' } as const;

/** The options, checked and in table order; DEID_INVALID_OPTIONS names an unknown one or a contradiction. */
export function checkDeidOptions(options: readonly string[] | undefined): DeidOptionName[] {
  const given = new Set(options ?? []);
  for (const name of given) {
    if (!(name in DEID_OPTIONS)) throw new DeidError('DEID_INVALID_OPTIONS', `de-identification option "${name}" is not one of ${DEID_OPTION_NAMES.join(', ')}`);
  }
  if (given.has('retain-dates') && given.has('retain-dates-shifted')) {
    throw new DeidError('DEID_INVALID_OPTIONS', 'retain-dates and retain-dates-shifted contradict each other: keep the dates as they are, or shift them; give one');
  }
  return DEID_OPTION_NAMES.filter((name) => given.has(name));
}

/** Rows of Table E.1-1 whose Retain Device Identity column is K: identifiers of the equipment, not of the patient. */
const DEVICE_IDENTITY = [
  '00181007', '0018700A', '00181000', '00181002', '00181008', '00181005', '00181004', '30080105', '00081010', '00181009',
  '00500020', '00400242', '00400241', '00400010', '00400001', '00404028', '00404025',
];

/** Rows whose Retain Institution Identity column is K. */
const INSTITUTION_IDENTITY = ['00080080', '00080081', '00080082', '00081040', '00081041'];

/** Rows whose Retain Patient Characteristics column is K: what a subgroup analysis needs, nothing that names. */
const PATIENT_CHARACTERISTICS = ['00101010', '00100040', '00101020', '00101030', '00102160', '001021A0', '001021C0', '00102203'];

/**
 * Free-text descriptors whose Clean Descriptors column is C: kept, with every identifying value of
 * the data set (names, IDs, dates) and every long digit run taken out (see cleanDescriptor).
 */
const DESCRIPTORS = [
  '00184000', '00181400', '00189424', '001021B0', '00081080', '00400280', '00082111', '00204000', '00104000', '00400254',
  '00181030', '00321030', '00321060', '00400007', '0008103E', '00324000', '00081030', '40004000', '00384000', '00401002',
  '00321070', '40084000', '00380062', '00102180', '00102000', '00102110', '00209158', '00400310', '00401400', '00402400',
  '40080300', '40080115', '00380040',
];

/** Dates and times of the profile that the longitudinal options keep (shifted or not); birth date and time stay removed. */
const NOT_LONGITUDINAL = new Set(['00100030', '00100032']);
const TEMPORAL = BASIC_PROFILE.filter((a) => ['DA', 'DT', 'TM'].includes(a.vr) && !NOT_LONGITUDINAL.has(a.tag)).map((a) => a.tag);
const UIDS = BASIC_PROFILE.filter((a) => a.action === 'U').map((a) => a.tag);

/** The option columns this module reads, by option: which profile rows each changes. */
export const OPTION_ATTRIBUTES: Readonly<Record<DeidOptionName, readonly string[]>> = {
  'retain-dates-shifted': TEMPORAL,
  'retain-dates': TEMPORAL,
  'retain-device-identity': DEVICE_IDENTITY,
  'retain-institution-identity': INSTITUTION_IDENTITY,
  'retain-patient-characteristics': PATIENT_CHARACTERISTICS,
  'retain-uids': UIDS,
  'clean-descriptors': DESCRIPTORS,
};

/** What an option does to a row instead of the Basic Profile's action: keep it, shift its dates, or clean its text. */
export type OptionAction = 'K' | 'shift' | 'clean';

/** The action the chosen options give the row `tag` (GGGGEEEE, upper case); undefined: the Basic Profile's. */
export function optionAction(tag: string, options: readonly DeidOptionName[]): OptionAction | undefined {
  let action: OptionAction | undefined;
  for (const name of options) {
    if (!OPTION_ATTRIBUTES[name].includes(tag)) continue;
    if (name === 'retain-dates-shifted') return 'shift';
    // Clean only where no retain option keeps the value whole.
    action = name === 'clean-descriptors' ? (action ?? 'clean') : 'K';
  }
  return action;
}
