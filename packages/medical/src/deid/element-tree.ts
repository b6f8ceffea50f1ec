import type { DataSet, Element } from 'dicom-parser';
import type { DicomFile } from '../dicom/dicom-file.js';
import { dictionaryVR } from '../dicom/value-representation.js';
import { bytesElement, fragmentsElement, sequenceElement, type DataElement, type Dataset } from '../writer/data-element.js';
import { PIXEL_DATA } from '../writer/dicom-tag.js';
import { isVr, numberWidth, type Vr } from '../writer/value-representation.js';
import { profileAttribute } from './basic-profile.js';

/** A parsed file as the writer's element model: every value kept as the bytes of a little-endian file. */
export interface ElementTree {
  /** The data set without File Meta Information (group 0002). */
  readonly dataset: Dataset;
  readonly transferSyntaxUID: string;
  /** Whether the data set was encoded with explicit VRs (as found, whatever the transfer syntax claims). */
  readonly explicitVr: boolean;
  readonly littleEndian: boolean;
}

/** The VR of a tag (GGGGEEEE) as the profile or the dictionary knows it, else UN. */
export function knownVr(hex: string): Vr {
  const known = profileAttribute(hex)?.vr ?? dictionaryVR(hex);
  return known && isVr(known) ? known : 'UN';
}

/** The VR of an element: as written (explicit VR), else what the profile or the dictionary knows, else UN. */
function vrOf(element: Element, hex: string): Vr {
  if (element.vr && isVr(element.vr)) return element.vr;
  if (element.items) return 'SQ';
  return knownVr(hex);
}

/** Big-endian values to little-endian: each number (`width` bytes) has its bytes reversed. */
function toLittleEndian(bytes: Uint8Array, width: number | undefined): Uint8Array {
  if (!width || width === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + width <= bytes.length; i += width) {
    for (let j = 0; j < width; j++) out[i + j] = bytes[i + width - 1 - j]!;
  }
  return out;
}

/**
 * Items of undefined-length Pixel Data that the parser did not split (an implicit-VR data set that
 * holds encapsulated pixels): the Basic Offset Table item, then one item per fragment.
 */
function splitItems(bytes: Uint8Array): { offsets: number[]; fragments: Uint8Array[] } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const items: Uint8Array[] = [];
  let at = 0;
  while (at + 8 <= bytes.length) {
    const group = view.getUint16(at, true);
    const element = view.getUint16(at + 2, true);
    const length = view.getUint32(at + 4, true);
    if (group !== 0xfffe) return undefined;
    if (element === 0xe0dd) break;
    if (element !== 0xe000 || at + 8 + length > bytes.length) return undefined;
    items.push(bytes.slice(at + 8, at + 8 + length));
    at += 8 + length;
  }
  const [table, ...fragments] = items;
  if (!table) return undefined;
  const tableView = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const offsets = Array.from({ length: table.length >> 2 }, (_, i) => tableView.getUint32(i * 4, true));
  return { offsets, fragments };
}

function convertElement(element: Element, byteArray: Uint8Array, littleEndian: boolean, pixelWidth: number | undefined): DataElement {
  const hex = element.tag.slice(1).toUpperCase();
  const tag = Number.parseInt(hex, 16) >>> 0;
  const vr = vrOf(element, hex);
  if (tag === PIXEL_DATA && element.hadUndefinedLength && !element.encapsulatedPixelData) {
    // Implicit VR: the parser sees items (maybe a "sequence"), not fragments.
    const items = splitItems(byteArray.slice(element.dataOffset, Math.min(element.dataOffset + element.length, byteArray.length)));
    if (items) return fragmentsElement(tag, items.fragments, items.offsets);
  }
  if (element.items) {
    // A sequence; also UN of undefined length, whose items dicom-parser reads the same way.
    return sequenceElement(tag, element.items.filter((item) => item.dataSet).map((item) => convertDataSet(item.dataSet!, littleEndian)));
  }
  if (element.encapsulatedPixelData && tag === PIXEL_DATA) {
    const fragments = (element.fragments ?? []).map((f) => byteArray.slice(f.position, f.position + f.length));
    return fragmentsElement(tag, fragments, element.basicOffsetTable ?? []);
  }
  const end = Math.min(element.dataOffset + element.length, byteArray.length);
  const raw = byteArray.slice(element.dataOffset, end);
  if (vr === 'SQ') return sequenceElement(tag, []);
  if (littleEndian) return bytesElement(tag, vr, raw);
  // Big-endian Pixel Data holds numbers of Bits Allocated, whatever its VR (OW also carries 32-bit pixels).
  const width = tag === PIXEL_DATA && pixelWidth ? pixelWidth : numberWidth(vr);
  return bytesElement(tag, vr, toLittleEndian(raw, width));
}

function convertDataSet(dataSet: DataSet, littleEndian: boolean): Dataset {
  const byteArray = dataSet.byteArray as Uint8Array;
  const bitsAllocated = littleEndian ? undefined : (dataSet.elements.x00280100 ? dataSet.uint16('x00280100') : undefined);
  const pixelWidth = bitsAllocated && bitsAllocated > 8 ? bitsAllocated / 8 : undefined;
  return Object.values(dataSet.elements)
    // Not File Meta Information, and not the item delimiters dicom-parser lists among an item's elements.
    .filter((element) => (element.tag >= 'x00030000' || element.tag < 'x00020000') && !element.tag.startsWith('xfffe'))
    .map((element) => convertElement(element, byteArray, littleEndian, pixelWidth));
}

/**
 * The element tree of a parsed file, for rewriting it: values stay byte-for-byte as stored (only
 * a big-endian file's binary numbers are turned little endian), sequences become items,
 * encapsulated Pixel Data keeps its fragments and Basic Offset Table.
 */
export function elementTree(file: DicomFile): ElementTree {
  const elements = Object.values(file.parsed.elements).filter((e) => e.tag >= 'x00030000');
  return {
    dataset: convertDataSet(file.parsed, file.littleEndian),
    transferSyntaxUID: file.transferSyntaxUID,
    explicitVr: elements.length === 0 || elements.some((e) => e.vr !== undefined),
    littleEndian: file.littleEndian,
  };
}
