import { profileAttribute } from '../deid/basic-profile.js';
import { DicomDataSet } from '../dicom/dicom-dataset.js';
import { latin1 } from '../dicom/character-set.js';
import { tagFromParser } from '../dicom/tags.js';
import { BINARY_NUMBER_SIZE } from '../dicom/value-representation.js';
import { tagKeyword, tagVr } from './tag-names.js';

/** One element of a tag dump; sequences carry their items, each a list of entries. */
export interface TagDumpEntry {
  /** (GGGG,EEEE) */
  readonly tag: string;
  /** As written (explicit VR) or from the dictionary; '' when unknown (implicit VR, outside CV Factory's dictionary). */
  readonly vr: string;
  /** PS3.6 keyword, '' when unknown. */
  readonly keyword: string;
  /** Bytes of the value (for sequences and undefined-length values: as found by parsing). */
  readonly length: number;
  /** The value as text (numbers and text values joined by `\`, bulk values as `<N bytes>`); null for a sequence or a hidden value. */
  readonly value: string | null;
  /** The value may identify the patient (an attribute of the confidentiality profile, or private) and was left out: `--phi` shows it. */
  readonly hidden?: true;
  readonly items?: readonly (readonly TagDumpEntry[])[];
}

export interface TagDumpOptions {
  /** Show the values of patient, study and private attributes (default false: hidden). */
  readonly phi?: boolean;
}

const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);
const BULK_VRS = new Set(['OB', 'OW', 'OF', 'OD', 'OL', 'OV', 'UN']);
const MAX_TEXT = 96;
const MAX_NUMBERS = 16;

function shorten(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/** Whether an attribute may identify the patient: it is in the confidentiality profile (at any depth), or private (odd group). */
function identifying(tag: string): boolean {
  return profileAttribute(tag) !== undefined || (Number.parseInt(tag.slice(0, 4), 16) & 1) === 1;
}

function valueText(dataSet: DicomDataSet, tag: string, vr: string | undefined): string {
  const element = dataSet.element(tag)!;
  if (element.encapsulated) return `<${dataSet.fragments(tag)?.length ?? 0} fragment(s), ${element.length} bytes>`;
  if (vr !== undefined && TEXT_VRS.has(vr)) return shorten(dataSet.strings(tag).join('\\'));
  if (vr !== undefined && vr in BINARY_NUMBER_SIZE && !BULK_VRS.has(vr)) {
    const numbers = dataSet.numbers(tag);
    const shown = numbers.slice(0, MAX_NUMBERS).map((n) => (vr === 'AT' ? `(${n.toString(16).padStart(8, '0').replace(/^(.{4})/, '$1,').toUpperCase()})` : String(n)));
    return numbers.length > MAX_NUMBERS ? `${shown.join('\\')}\\… (${numbers.length} values)` : shown.join('\\');
  }
  const bytes = dataSet.bytes(tag) ?? new Uint8Array(0);
  // Outside the dictionary (implicit VR): text when it reads as text, else its size.
  if (vr === undefined && bytes.every((b) => (b >= 0x20 && b < 0x7f) || b === 0 || b === 0x5c)) return shorten(latin1(bytes).replace(/[\0 ]+$/, ''));
  return `<${bytes.length} bytes>`;
}

/**
 * Every element of a data set in tag order (File Meta Information included), with its VR, keyword,
 * length and value, sequences as nested items. Values of attributes that may identify the patient
 * (those of the PS3.15 confidentiality profile — names, IDs, dates, UIDs, free text — and private
 * ones) are hidden unless `phi` is set, at every depth, so a dump can be pasted into a ticket.
 */
export function dumpTags(dataSet: DicomDataSet, options: TagDumpOptions = {}): TagDumpEntry[] {
  const phi = options.phi === true;
  return Object.keys(dataSet.parsed.elements)
    .sort()
    .map(tagFromParser)
    // Item and sequence delimiters that dicom-parser lists among an item's elements.
    .filter((tag) => !tag.startsWith('FFFE'))
    .map((tag) => {
      const element = dataSet.element(tag)!;
      const vr = element.vr ?? tagVr(tag);
      const base = { tag: `(${tag.slice(0, 4)},${tag.slice(4)})`, vr: vr ?? '', keyword: tagKeyword(tag), length: element.length };
      const hide = !phi && identifying(tag);
      const items = dataSet.parsed.elements[`x${tag.toLowerCase()}`]!.items ? dataSet.sequence(tag) : undefined;
      if (items !== undefined || vr === 'SQ') {
        const nested = (items ?? []).map((item) => dumpTags(item, options));
        return hide ? { ...base, vr: 'SQ', value: `${nested.length} item(s)`, hidden: true as const } : { ...base, vr: 'SQ', value: null, items: nested };
      }
      return hide ? { ...base, value: null, hidden: true as const } : { ...base, value: valueText(dataSet, tag, vr) };
    });
}

/** The dump as lines, one element each, items indented under their sequence (as dcmdump prints it). */
export function formatTagDump(entries: readonly TagDumpEntry[], depth = 0): string[] {
  const indent = '  '.repeat(depth);
  const lines: string[] = [];
  for (const e of entries) {
    const value = e.hidden ? `${e.value === null ? '' : `${e.value} `}(hidden; --phi shows it)` : e.value === null ? '' : `[${e.value}]`;
    lines.push(`${indent}${e.tag} ${(e.vr || '??').padEnd(2)} ${e.keyword.padEnd(Math.max(0, 36 - indent.length))} ${value}`.trimEnd());
    (e.items ?? []).forEach((item, i) => {
      lines.push(`${indent}  item ${i + 1}`);
      lines.push(...formatTagDump(item, depth + 2));
    });
  }
  return lines;
}
