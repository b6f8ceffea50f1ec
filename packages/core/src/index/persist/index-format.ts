import { IndexError } from '../../errors.js';
import { crc32 } from './crc32.js';

/**
 * The stored form of an index, the same bytes in a Node file and in IndexedDB chunks:
 *
 *   0  "CVFINDEX"                       magic, 8 bytes
 *   8  u32 format version               (FORMAT_VERSION)
 *  12  u32 header length H              (bytes of UTF-8 JSON)
 *  16  u32 CRC-32 of bytes [24, end)    header and sections
 *  20  u32 0                            reserved
 *  24  header JSON                      kind, dim, metric, parameters, and the section table
 *      sections                         raw little-endian arrays, each starting 8-byte aligned
 *
 * Readers refuse a wrong magic, an unknown version, a length that does not match the section
 * table, and a checksum mismatch (IndexError INDEX_CORRUPT / INDEX_VERSION_UNSUPPORTED), so a
 * truncated or damaged file never loads as a smaller or different index.
 */
export const FORMAT_VERSION = 1;
const MAGIC = 'CVFINDEX';
const PREFIX = 24;

export type SectionArray = Float32Array | Float64Array | Int32Array | Uint16Array | Uint8Array;
type SectionType = 'f32' | 'f64' | 'i32' | 'u16' | 'u8';

const TYPES: Record<SectionType, { bytes: number; make: (buffer: ArrayBuffer, offset: number, length: number) => SectionArray }> = {
  f32: { bytes: 4, make: (b, o, n) => new Float32Array(b, o, n) },
  f64: { bytes: 8, make: (b, o, n) => new Float64Array(b, o, n) },
  i32: { bytes: 4, make: (b, o, n) => new Int32Array(b, o, n) },
  u16: { bytes: 2, make: (b, o, n) => new Uint16Array(b, o, n) },
  u8: { bytes: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
};

function typeOf(array: SectionArray): SectionType {
  if (array instanceof Float32Array) return 'f32';
  if (array instanceof Float64Array) return 'f64';
  if (array instanceof Int32Array) return 'i32';
  if (array instanceof Uint16Array) return 'u16';
  return 'u8';
}

interface SectionEntry {
  readonly name: string;
  readonly type: SectionType;
  readonly length: number;
}

export interface IndexFile {
  /** Everything but the arrays: kind, dim, metric, parameters (JSON-safe values). */
  readonly header: Readonly<Record<string, unknown>>;
  readonly sections: Readonly<Record<string, SectionArray>>;
}

const pad8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Encodes a header and named arrays into one buffer. */
export function encodeIndexFile(file: IndexFile): Uint8Array {
  const entries: SectionEntry[] = Object.entries(file.sections).map(([name, array]) => ({ name, type: typeOf(array), length: array.length }));
  const headerBytes = new TextEncoder().encode(JSON.stringify({ ...file.header, sections: entries }));
  let total = pad8(PREFIX + headerBytes.length);
  for (const e of entries) total += pad8(e.length * TYPES[e.type].bytes);
  const out = new Uint8Array(total);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, PREFIX);
  let offset = pad8(PREFIX + headerBytes.length);
  for (const array of Object.values(file.sections)) {
    // Typed arrays are little-endian on every platform CV Factory runs on (x86, ARM).
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
    offset += pad8(array.byteLength);
  }
  view.setUint32(16, crc32(out.subarray(PREFIX)), true);
  return out;
}

function corrupt(message: string): IndexError {
  return new IndexError('INDEX_CORRUPT', `stored index is corrupt: ${message}`);
}

/** Decodes and verifies a stored index; the arrays are copies, aligned for their types. */
export function decodeIndexFile(bytes: Uint8Array): IndexFile {
  if (bytes.length < PREFIX || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw corrupt(`not a CV Factory index (no "${MAGIC}" magic)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== FORMAT_VERSION) {
    throw new IndexError('INDEX_VERSION_UNSUPPORTED', `stored index has format version ${version}; this build reads version ${FORMAT_VERSION}`);
  }
  const headerLength = view.getUint32(12, true);
  if (PREFIX + headerLength > bytes.length) throw corrupt(`header of ${headerLength} bytes runs past the end (${bytes.length} bytes)`);
  const stored = view.getUint32(16, true);
  const actual = crc32(bytes.subarray(PREFIX));
  if (stored !== actual) throw corrupt(`checksum mismatch (stored ${stored.toString(16)}, computed ${actual.toString(16)})`);
  let header: Record<string, unknown> & { sections?: SectionEntry[] };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX, PREFIX + headerLength)));
  } catch (error) {
    throw corrupt(`header is not JSON (${(error as Error).message})`);
  }
  if (!header || typeof header !== 'object' || !Array.isArray(header.sections)) throw corrupt('header has no section table');
  const sections: Record<string, SectionArray> = {};
  let offset = pad8(PREFIX + headerLength);
  for (const e of header.sections) {
    const type = TYPES[e?.type as SectionType];
    if (!type || !Number.isInteger(e.length) || e.length < 0 || typeof e.name !== 'string') throw corrupt(`bad section entry ${JSON.stringify(e)}`);
    const byteLength = e.length * type.bytes;
    if (offset + byteLength > bytes.length) throw corrupt(`section "${e.name}" runs past the end`);
    // A fresh copy (not bytes.slice: a Node Buffer's slice is a view into a shared pool).
    const copy = new Uint8Array(byteLength);
    copy.set(bytes.subarray(offset, offset + byteLength));
    sections[e.name] = type.make(copy.buffer, 0, e.length);
    offset += pad8(byteLength);
  }
  if (offset !== bytes.length) throw corrupt(`${bytes.length - offset} bytes after the last section`);
  const { sections: _table, ...rest } = header;
  return { header: rest, sections };
}
