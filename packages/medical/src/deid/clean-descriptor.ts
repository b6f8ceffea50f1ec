import { elementText, type Dataset } from '../writer/data-element.js';
import { tag } from '../writer/dicom-tag.js';

/** Attributes whose values identify the patient or the visit, wherever they appear. */
const IDENTIFIER_TAGS = new Set([
  tag(0x0010, 0x0020), // Patient ID
  tag(0x0010, 0x0021), // Issuer of Patient ID
  tag(0x0010, 0x1000), // Other Patient IDs
  tag(0x0010, 0x1090), // Medical Record Locator
  tag(0x0008, 0x0050), // Accession Number
  tag(0x0020, 0x0010), // Study ID
  tag(0x0038, 0x0010), // Admission ID
  tag(0x0010, 0x0030), // Patient's Birth Date
  tag(0x0010, 0x1040), // Patient's Address
  tag(0x0010, 0x2154), // Patient's Telephone Numbers
]);

/** The ways a YYYYMMDD date is written in free text. */
function dateSpellings(ymd: string): string[] {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(ymd.trim());
  if (!m) return [];
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  return [`${y}-${mo}-${d}`, `${d}.${mo}.${y}`, `${d}/${mo}/${y}`, `${mo}/${d}/${y}`, `${y}/${mo}/${d}`];
}

/**
 * The values in a data set (at any depth) that identify its patient: every person name and its
 * parts, the patient's and the visit's IDs, the birth date as commonly written. Read before
 * de-identification, for cleaning the descriptors the Clean Descriptors option keeps.
 */
export function identifyingValues(dataset: Dataset): string[] {
  const found = new Set<string>();
  const visit = (items: Dataset) => {
    for (const element of items) {
      if (element.value.kind === 'sequence') {
        element.value.items.forEach(visit);
        continue;
      }
      const isName = element.vr === 'PN';
      if (!isName && !IDENTIFIER_TAGS.has(element.tag)) continue;
      for (const value of elementText(element)) {
        const v = value.replace(/^[\0 ]+|[\0 ]+$/g, '');
        if (v === '') continue;
        found.add(v);
        // A name's family, given and middle names, prefixes and suffixes each identify on their own.
        if (isName) for (const part of v.split(/[\^= ,]+/)) found.add(part);
        for (const spelling of dateSpellings(v)) found.add(spelling);
      }
    }
  };
  visit(dataset);
  // Single letters (initials) would clean every word they begin: they are left.
  return [...found].filter((v) => v.length >= 2).sort((a, b) => b.length - a.length);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A date written with separators (31.01.2024, 1/31/24, 2024-01-31) or a run of five or more digits (IDs, dates, phone numbers). */
const DATES_AND_NUMBERS = /\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b|\d{5,}/g;

/**
 * A free-text descriptor with what could identify its patient replaced by `*`: every identifying
 * value of its data set (as a whole word, any case), dates written with separators, and runs of
 * five or more digits. The rest — "CT CHEST W CONTRAST", "T2 AX 3mm" — stays, which is the point
 * of the option. Never longer than the input, so the VR's length limit still holds.
 */
export function cleanDescriptor(text: string, identifying: readonly string[]): string {
  let out = text;
  for (const value of identifying) {
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escape(value)}(?![\\p{L}\\p{N}])`, 'giu'), '*');
  }
  return out.replace(DATES_AND_NUMBERS, '*').replace(/\s+/g, ' ').trim();
}
