import { EvalError } from '@cvf/core';
import type { DicomDataSet } from '../dicom/dicom-dataset.js';
import { tagOfKeyword } from '../inspect/tag-names.js';
import { ageBandOfDataSet } from './age-band.js';

/**
 * What a subgroup analysis splits cases by: a DICOM attribute of each image, read as text.
 *
 * - `AgeBand` (or `PatientAge`): the age band (age-band.ts) from Patient's Age, else from Patient's
 *   Birth Date and Study Date — never the age itself;
 * - `InstitutionName` (or `Institution`): an HMAC-SHA-256 of the name under a salt, so a report can
 *   compare sites without naming them; the same salt gives the same labels across reports;
 * - any other keyword of the dictionary (Modality, Manufacturer, PatientSex, BodyPartExamined,
 *   ManufacturerModelName, …) or a tag written GGGGEEEE / (GGGG,EEEE): its first value, trimmed.
 * A case without the attribute is in the group `(missing)`.
 */
export interface SubgroupAttribute {
  /** The name as asked for (`--by`). */
  readonly name: string;
  /** What the values are, for the report: e.g. `Manufacturer (0008,0070)`. */
  readonly description: string;
  read(file: DicomDataSet): Promise<string | undefined>;
}

export interface SubgroupAttributeOptions {
  /** Salt of the institution hash; the caller keeps it secret (a random one per evaluation when none is given). */
  readonly salt: string;
}

const INSTITUTION_NAME = '00080080';
/** Hex digits of the institution hash that label a group: 48 bits, no collision among any real number of sites. */
const INSTITUTION_DIGITS = 12;

function formatTag(tag: string): string {
  return `(${tag.slice(0, 4)},${tag.slice(4)})`;
}

function tagOfName(name: string): string | undefined {
  const hex = name.replace(/[(),\s]/g, '');
  return /^[0-9A-Fa-f]{8}$/.test(hex) ? hex.toUpperCase() : tagOfKeyword(name);
}

async function institutionHasher(salt: string): Promise<(name: string) => Promise<string>> {
  const key = await globalThis.crypto.subtle.importKey('raw', new TextEncoder().encode(`cvf-subgroup-institution\0${salt}`), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const cache = new Map<string, Promise<string>>();
  return (name) => {
    let label = cache.get(name);
    if (!label) {
      label = globalThis.crypto.subtle.sign('HMAC', key, new TextEncoder().encode(name)).then((digest) => {
        const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
        return `site-${hex.slice(0, INSTITUTION_DIGITS)}`;
      });
      cache.set(name, label);
    }
    return label;
  };
}

/** The attribute of `--by NAME`; an unknown keyword is EVAL_OPTION_INVALID naming the usual ones. */
export async function subgroupAttribute(name: string, options: SubgroupAttributeOptions): Promise<SubgroupAttribute> {
  if (name === 'AgeBand' || name === 'PatientAge') {
    return { name, description: 'age band (from PatientAge, else PatientBirthDate and StudyDate)', read: async (file) => ageBandOfDataSet(file) };
  }
  if (name === 'InstitutionName' || name === 'Institution') {
    const hash = await institutionHasher(options.salt);
    return {
      name,
      description: 'institution (InstitutionName as a salted hash)',
      read: async (file) => {
        const value = file.string(INSTITUTION_NAME)?.trim();
        return value ? hash(value) : undefined;
      },
    };
  }
  const tag = tagOfName(name);
  if (tag === undefined) {
    throw new EvalError(
      'EVAL_OPTION_INVALID',
      `"${name}" is not a DICOM keyword this dictionary knows; give a keyword such as Modality, Manufacturer, ManufacturerModelName, PatientSex, AgeBand, InstitutionName or BodyPartExamined, or a tag as GGGGEEEE`,
    );
  }
  return {
    name,
    description: `${name === tag ? '' : `${name} `}${formatTag(tag)}`,
    read: async (file) => file.string(tag)?.trim() || undefined,
  };
}
