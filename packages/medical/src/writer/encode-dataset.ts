import { DicomWriteError } from '@cvf/core';
import { ByteWriter } from './byte-writer.js';
import type { DataElement, Dataset } from './data-element.js';
import { formatTag, ITEM, ITEM_DELIMITATION, SEQUENCE_DELIMITATION, tagElement, tagGroup } from './dicom-tag.js';
import { encodeValue } from './encode-value.js';
import { hasLongLength } from './value-representation.js';

const UNDEFINED_LENGTH = 0xffffffff;

export interface EncodeOptions {
  /** Explicit VR (default) or implicit VR; always little endian. */
  readonly explicitVr: boolean;
}

function writeTag(out: ByteWriter, t: number): void {
  out.u16(tagGroup(t));
  out.u16(tagElement(t));
}

function writeHeader(out: ByteWriter, element: DataElement, length: number, explicitVr: boolean): void {
  writeTag(out, element.tag);
  if (!explicitVr) return out.u32(length);
  out.ascii(element.vr);
  if (hasLongLength(element.vr)) {
    out.u16(0);
    out.u32(length);
  } else {
    if (length > 0xfffe) {
      throw new DicomWriteError(`${formatTag(element.tag)} ${element.vr}: a value of ${length} bytes does not fit the 16-bit length of ${element.vr}; use a long-length VR such as UT or OB`);
    }
    out.u16(length);
  }
}

/** Sequences and items are written with undefined length and delimiters: no lengths to precompute. */
function writeSequence(out: ByteWriter, element: DataElement, items: readonly Dataset[], explicitVr: boolean): void {
  writeHeader(out, { ...element, vr: 'SQ' }, UNDEFINED_LENGTH, explicitVr);
  for (const item of items) {
    writeTag(out, ITEM);
    out.u32(UNDEFINED_LENGTH);
    writeElements(out, item, explicitVr);
    writeTag(out, ITEM_DELIMITATION);
    out.u32(0);
  }
  writeTag(out, SEQUENCE_DELIMITATION);
  out.u32(0);
}

/** Encapsulated Pixel Data (PS3.5 A.4): undefined length, the Basic Offset Table item, one item per fragment. */
function writeFragments(out: ByteWriter, element: DataElement, offsets: readonly number[], fragments: readonly Uint8Array[], explicitVr: boolean): void {
  if (!explicitVr) throw new DicomWriteError(`${formatTag(element.tag)}: encapsulated Pixel Data needs an explicit VR transfer syntax`);
  writeHeader(out, { ...element, vr: 'OB' }, UNDEFINED_LENGTH, explicitVr);
  writeTag(out, ITEM);
  out.u32(offsets.length * 4);
  for (const offset of offsets) out.u32(offset);
  for (const fragment of fragments) {
    writeTag(out, ITEM);
    out.u32(fragment.length + (fragment.length % 2));
    out.bytes(fragment);
    if (fragment.length % 2) out.bytes(new Uint8Array(1));
  }
  writeTag(out, SEQUENCE_DELIMITATION);
  out.u32(0);
}

function writeElements(out: ByteWriter, dataset: Dataset, explicitVr: boolean): void {
  const sorted = [...dataset].sort((a, b) => a.tag - b.tag);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.tag === sorted[i - 1]!.tag) throw new DicomWriteError(`${formatTag(sorted[i]!.tag)} appears twice in one data set`);
  }
  for (const element of sorted) writeElement(out, element, explicitVr);
}

export function writeElement(out: ByteWriter, element: DataElement, explicitVr: boolean): void {
  const { value } = element;
  if (value.kind === 'sequence') return writeSequence(out, element, value.items, explicitVr);
  if (value.kind === 'fragments') return writeFragments(out, element, value.offsets, value.fragments, explicitVr);
  const bytes = encodeValue(element);
  writeHeader(out, element, bytes.length, explicitVr);
  out.bytes(bytes);
}

/** A data set's elements in tag order, little endian, explicit or implicit VR. */
export function encodeDataset(dataset: Dataset, { explicitVr }: EncodeOptions): Uint8Array {
  const out = new ByteWriter();
  writeElements(out, dataset, explicitVr);
  return out.toUint8Array();
}
