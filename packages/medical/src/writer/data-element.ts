import { DicomWriteError } from '@cvf/core';
import { formatTag, type DicomTag } from './dicom-tag.js';
import { isTextVr, type Vr } from './value-representation.js';

/**
 * The value of one element:
 * - `text`: the values of a character-string VR (joined with `\` when written);
 * - `numbers`: the values of a binary numeric VR (US, SS, UL, SL, FL, FD, SV, UV, AT as tag
 *   numbers, and OW/OL/OF/OD/OV word by word);
 * - `bytes`: the encoded value exactly as it goes in a little-endian file (kept byte-for-byte,
 *   e.g. an attribute copied from another file, or native Pixel Data);
 * - `sequence`: the items of an SQ, each a data set;
 * - `fragments`: encapsulated Pixel Data — the Basic Offset Table and one byte string per fragment.
 */
export type ElementValue =
  | { readonly kind: 'text'; readonly values: readonly string[] }
  | { readonly kind: 'numbers'; readonly values: readonly (number | bigint)[] }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'sequence'; readonly items: readonly Dataset[] }
  | { readonly kind: 'fragments'; readonly offsets: readonly number[]; readonly fragments: readonly Uint8Array[] };

export interface DataElement {
  readonly tag: DicomTag;
  /** The VR; `UN` when it is not known (e.g. a private attribute read from an implicit-VR file). */
  readonly vr: Vr;
  readonly value: ElementValue;
}

/** A data set: its elements in any order (the writer sorts them by tag). */
export type Dataset = readonly DataElement[];

export function textElement(tag: DicomTag, vr: Vr, ...values: string[]): DataElement {
  if (!isTextVr(vr)) throw new DicomWriteError(`${formatTag(tag)}: VR ${vr} does not hold text; text VRs are AE AS CS DA DS DT IS LO LT PN SH ST TM UC UI UR UT`);
  return { tag, vr, value: { kind: 'text', values } };
}

export function numberElement(tag: DicomTag, vr: Vr, ...values: (number | bigint)[]): DataElement {
  return { tag, vr, value: { kind: 'numbers', values } };
}

export function bytesElement(tag: DicomTag, vr: Vr, bytes: Uint8Array): DataElement {
  return { tag, vr, value: { kind: 'bytes', bytes } };
}

export function sequenceElement(tag: DicomTag, items: readonly Dataset[]): DataElement {
  return { tag, vr: 'SQ', value: { kind: 'sequence', items } };
}

/** Encapsulated Pixel Data: one fragment per frame unless given otherwise; `offsets` fills the Basic Offset Table. */
export function fragmentsElement(tag: DicomTag, fragments: readonly Uint8Array[], offsets: readonly number[] = []): DataElement {
  return { tag, vr: 'OB', value: { kind: 'fragments', offsets, fragments } };
}

export function findElement(dataset: Dataset, tag: DicomTag): DataElement | undefined {
  return dataset.find((element) => element.tag === tag);
}

/** The data set with `element` in place of any element of the same tag. */
export function withElement(dataset: Dataset, element: DataElement): Dataset {
  return [...dataset.filter((e) => e.tag !== element.tag), element];
}

const latin1 = new TextDecoder('latin1');

/**
 * The text values of an element, trailing padding removed. Byte values are decoded as UTF-8 when
 * valid, else Latin-1: enough to compare and print values, not a character-set implementation.
 */
export function elementText(element: DataElement): string[] {
  const { value } = element;
  if (value.kind === 'text') return [...value.values];
  if (value.kind === 'numbers') return value.values.map(String);
  if (value.kind !== 'bytes') return [];
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(value.bytes);
  } catch {
    text = latin1.decode(value.bytes);
  }
  return text.replace(/[\0 ]+$/, '').split('\\');
}
