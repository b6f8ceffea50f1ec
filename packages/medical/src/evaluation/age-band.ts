import type { DicomDataSet } from '../dicom/dicom-dataset.js';
import { Tag } from '../dicom/tags.js';

/**
 * Age bands of a subgroup analysis: wide enough that each holds a useful number of cases, split at
 * the ages where paediatric, adult and elderly care differ.
 */
export const AGE_BANDS = [
  { label: '0-17', from: 0 },
  { label: '18-39', from: 18 },
  { label: '40-59', from: 40 },
  { label: '60-79', from: 60 },
  { label: '80+', from: 80 },
] as const;

const PATIENT_AGE = '00101010';
const PATIENT_BIRTH_DATE = '00100030';
const UNIT_YEARS: Record<string, number> = { D: 1 / 365.25, W: 7 / 365.25, M: 1 / 12, Y: 1 };

/** Years of a Patient's Age (AS) such as `045Y`, `018M`, `003W`, `010D`; undefined when malformed. */
export function yearsOfAgeString(value: string): number | undefined {
  const match = /^(\d{3})([DWMY])$/.exec(value.trim());
  return match ? Number(match[1]) * UNIT_YEARS[match[2]!]! : undefined;
}

function dateOf(value: string | undefined): { year: number; month: number; day: number } | undefined {
  const match = value === undefined ? null : /^(\d{4})(\d{2})(\d{2})$/.exec(value.trim());
  return match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : undefined;
}

/** Whole years from a birth date to a study date (both DA, YYYYMMDD); undefined when either is missing or malformed. */
export function yearsBetween(birthDate: string | undefined, studyDate: string | undefined): number | undefined {
  const birth = dateOf(birthDate);
  const study = dateOf(studyDate);
  if (!birth || !study) return undefined;
  const beforeBirthday = study.month < birth.month || (study.month === birth.month && study.day < birth.day);
  const years = study.year - birth.year - (beforeBirthday ? 1 : 0);
  return years >= 0 ? years : undefined;
}

/** The band of an age in years. */
export function ageBandOf(years: number): string {
  let band: string = AGE_BANDS[0].label;
  for (const { label, from } of AGE_BANDS) if (years >= from) band = label;
  return band;
}

/** The age band of a data set: Patient's Age when present, else Patient's Birth Date to Study Date; undefined when neither is known. */
export function ageBandOfDataSet(file: DicomDataSet): string | undefined {
  const stated = file.string(PATIENT_AGE);
  const years = (stated === undefined ? undefined : yearsOfAgeString(stated)) ?? yearsBetween(file.string(PATIENT_BIRTH_DATE), file.string(Tag.StudyDate));
  return years === undefined ? undefined : ageBandOf(years);
}
