import type { DataSet, Element } from 'dicom-parser';
import { CharacterSet, latin1 } from './character-set.js';
import { parserTag, Tag, tagFromParser } from './tags.js';
import { BINARY_NUMBER_SIZE, CHARACTER_SET_VRS, dictionaryVR, NUMERIC_STRING_VRS, SINGLE_TEXT_VRS } from './value-representation.js';

/** One element of a data set, located in the data set's byte array. */
export interface DicomElement {
  /** GGGGEEEE, upper case. */
  readonly tag: string;
  /** The VR written in the file (explicit VR), else the dictionary VR of the short list CV Factory knows, else undefined. */
  readonly vr: string | undefined;
  /** Offset of the value in `DicomDataSet.byteArray`. */
  readonly offset: number;
  /** Length of the value in bytes (for undefined-length elements: as found by parsing). */
  readonly length: number;
  readonly undefinedLength: boolean;
  /** Pixel Data stored as encapsulated fragments (compressed transfer syntaxes). */
  readonly encapsulated: boolean;
}

/** One fragment of encapsulated Pixel Data: `offset` into the byte array, `length` bytes. */
export interface PixelDataFragment {
  readonly offset: number;
  readonly length: number;
}

/**
 * A parsed DICOM data set (the file's top level, or one item of a sequence). Getters take a tag as
 * GGGGEEEE (see `Tag`); text is decoded with the Specific Character Set in force, numbers are read
 * by VR (binary, or decimal/integer strings), and absent or empty values come back as undefined.
 */
export class DicomDataSet {
  readonly characterSet: CharacterSet;

  constructor(
    /** The dicom-parser data set underneath: raw access for what these getters do not cover. */
    readonly parsed: DataSet,
    /** Byte order of the data set's values (File Meta Information is always little endian). */
    readonly littleEndian: boolean,
    inheritedCharacterSet: CharacterSet = new CharacterSet(),
  ) {
    // An item may declare its own Specific Character Set; otherwise it inherits its parent's.
    const own = parsed.elements[parserTag(Tag.SpecificCharacterSet)];
    this.characterSet = own ? new CharacterSet(this.asciiValues(own)) : inheritedCharacterSet;
  }

  /** The bytes every element offset refers to (for deflated files: the inflated data set). */
  get byteArray(): Uint8Array {
    return this.parsed.byteArray as Uint8Array;
  }

  has(tag: string): boolean {
    return this.parsed.elements[parserTag(tag)] !== undefined;
  }

  /** Tags present, GGGGEEEE, in ascending order. */
  tags(): string[] {
    return Object.keys(this.parsed.elements).sort().map(tagFromParser);
  }

  element(tag: string): DicomElement | undefined {
    const raw = this.parsed.elements[parserTag(tag)];
    if (!raw) return undefined;
    const upper = tagFromParser(raw.tag);
    return {
      tag: upper,
      vr: raw.vr ?? dictionaryVR(upper),
      offset: raw.dataOffset,
      length: raw.length,
      undefinedLength: raw.hadUndefinedLength === true,
      encapsulated: raw.encapsulatedPixelData === true,
    };
  }

  /** VR of the element as stored or from the dictionary; undefined when unknown or absent. */
  vr(tag: string): string | undefined {
    return this.element(tag)?.vr;
  }

  /**
   * The raw value bytes (a view into `byteArray`, not a copy), or undefined when absent. For
   * encapsulated Pixel Data these are the items as stored (offset table, fragments, delimiter).
   */
  bytes(tag: string): Uint8Array | undefined {
    const raw = this.parsed.elements[parserTag(tag)];
    if (!raw) return undefined;
    const end = Math.min(raw.dataOffset + raw.length, this.byteArray.length);
    return this.byteArray.subarray(raw.dataOffset, end);
  }

  /** Fragments of encapsulated Pixel Data (after the Basic Offset Table), or undefined if not encapsulated. */
  fragments(tag: string = Tag.PixelData): PixelDataFragment[] | undefined {
    const raw = this.parsed.elements[parserTag(tag)];
    if (!raw?.encapsulatedPixelData || !raw.fragments) return undefined;
    return raw.fragments.map((f) => ({ offset: f.position, length: f.length }));
  }

  /** The Basic Offset Table of encapsulated Pixel Data (empty when the file leaves it empty). */
  basicOffsetTable(tag: string = Tag.PixelData): number[] | undefined {
    const raw = this.parsed.elements[parserTag(tag)];
    if (!raw?.encapsulatedPixelData) return undefined;
    return raw.basicOffsetTable ?? [];
  }

  /** The `index`-th value as text (values are separated by `\`), decoded and trimmed. */
  string(tag: string, index = 0): string | undefined {
    const values = this.strings(tag);
    const value = values[index];
    return value === undefined || value === '' ? undefined : value;
  }

  /** Every value as text; [] when absent, empty or binary. */
  strings(tag: string): string[] {
    const raw = this.parsed.elements[parserTag(tag)];
    if (!raw || raw.length === 0) return [];
    const vr = raw.vr ?? dictionaryVR(tagFromParser(raw.tag));
    if (vr !== undefined && (vr in BINARY_NUMBER_SIZE || vr === 'OB' || vr === 'UN' || vr === 'SQ')) return [];
    const bytes = this.bytes(tag)!;
    const text = vr === undefined || CHARACTER_SET_VRS.has(vr) ? this.characterSet.decode(bytes) : latin1(bytes);
    if (vr !== undefined && SINGLE_TEXT_VRS.has(vr)) return [text.replace(/[\0 ]+$/, '')];
    const values = text.split('\\').map((v) => v.replace(/^[\0 ]+|[\0 ]+$/g, ''));
    // Person names: trailing empty component groups say nothing (PS3.5 6.2.1.1); drop their '='.
    return vr === 'PN' ? values.map((v) => v.replace(/=+$/, '')) : values;
  }

  /** The `index`-th value as a number: binary VRs by size and byte order, DS/IS parsed from text. */
  number(tag: string, index = 0): number | undefined {
    return this.numbers(tag)[index];
  }

  numbers(tag: string): number[] {
    const raw = this.parsed.elements[parserTag(tag)];
    if (!raw || raw.length === 0) return [];
    const vr = raw.vr ?? dictionaryVR(tagFromParser(raw.tag));
    if (vr !== undefined && vr in BINARY_NUMBER_SIZE) return this.binaryNumbers(raw, vr);
    if (vr !== undefined && !NUMERIC_STRING_VRS.has(vr)) return [];
    // DS/IS, or an implicit-VR element outside the dictionary: read it as decimal text if it is.
    const values = this.asciiValues(raw);
    const out: number[] = [];
    for (const v of values) {
      const n = v === '' ? Number.NaN : Number(v);
      if (Number.isNaN(n)) {
        if (vr === undefined) return [];
        continue;
      }
      out.push(n);
    }
    return out;
  }

  uint16(tag: string, index = 0): number | undefined {
    return this.readBinary(tag, index, 2, (v, o, le) => v.getUint16(o, le));
  }
  int16(tag: string, index = 0): number | undefined {
    return this.readBinary(tag, index, 2, (v, o, le) => v.getInt16(o, le));
  }
  uint32(tag: string, index = 0): number | undefined {
    return this.readBinary(tag, index, 4, (v, o, le) => v.getUint32(o, le));
  }
  int32(tag: string, index = 0): number | undefined {
    return this.readBinary(tag, index, 4, (v, o, le) => v.getInt32(o, le));
  }
  float32(tag: string, index = 0): number | undefined {
    return this.readBinary(tag, index, 4, (v, o, le) => v.getFloat32(o, le));
  }
  float64(tag: string, index = 0): number | undefined {
    return this.readBinary(tag, index, 8, (v, o, le) => v.getFloat64(o, le));
  }

  /** Items of a sequence (SQ), each a data set that inherits this one's character set; undefined when absent. */
  sequence(tag: string): DicomDataSet[] | undefined {
    const raw = this.parsed.elements[parserTag(tag)];
    if (!raw) return undefined;
    if (!raw.items) return raw.length === 0 ? [] : undefined;
    return raw.items.filter((item) => item.dataSet).map((item) => new DicomDataSet(item.dataSet!, this.littleEndian, this.characterSet));
  }

  /** True when the element's value is little endian (File Meta Information always is). */
  private isLittleEndian(raw: Element): boolean {
    return raw.tag < 'x00030000' ? true : this.littleEndian;
  }

  private readBinary(tag: string, index: number, size: number, read: (view: DataView, offset: number, le: boolean) => number): number | undefined {
    const raw = this.parsed.elements[parserTag(tag)];
    if (!raw) return undefined;
    const offset = raw.dataOffset + index * size;
    if (index < 0 || offset + size > raw.dataOffset + raw.length || offset + size > this.byteArray.length) return undefined;
    const bytes = this.byteArray;
    return read(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset, this.isLittleEndian(raw));
  }

  private binaryNumbers(raw: Element, vr: string): number[] {
    const size = BINARY_NUMBER_SIZE[vr]!;
    const bytes = this.byteArray;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const le = this.isLittleEndian(raw);
    const end = Math.min(raw.dataOffset + raw.length, bytes.length);
    const out: number[] = [];
    for (let o = raw.dataOffset; o + size <= end; o += size) {
      switch (vr) {
        case 'SS': out.push(view.getInt16(o, le)); break;
        case 'SL': out.push(view.getInt32(o, le)); break;
        case 'FL': case 'OF': out.push(view.getFloat32(o, le)); break;
        case 'FD': case 'OD': out.push(view.getFloat64(o, le)); break;
        case 'SV': out.push(Number(view.getBigInt64(o, le))); break;
        case 'UV': case 'OV': out.push(Number(view.getBigUint64(o, le))); break;
        case 'UL': case 'OL': out.push(view.getUint32(o, le)); break;
        // AT: group then element, as one number ggggeeee.
        case 'AT': out.push(view.getUint16(o, le) * 0x10000 + view.getUint16(o + 2, le)); break;
        default: out.push(view.getUint16(o, le));
      }
    }
    return out;
  }

  private asciiValues(raw: Element): string[] {
    const end = Math.min(raw.dataOffset + raw.length, this.byteArray.length);
    return latin1(this.byteArray.subarray(raw.dataOffset, end))
      .split('\\')
      .map((v) => v.replace(/^[\0 ]+|[\0 ]+$/g, ''));
  }
}
