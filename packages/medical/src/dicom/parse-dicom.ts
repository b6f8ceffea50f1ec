import { DicomError } from '@cvf/core';
import type { DataSet } from 'dicom-parser';
import { inflateSync } from 'fflate';
import { DicomFile } from './dicom-file.js';
import { dicomParser } from './dicom-parser-module.js';
import { parseExplicitDataSet } from './explicit-data-set.js';
import { TransferSyntax } from './transfer-syntax.js';

const PREAMBLE_LENGTH = 128;
/** Sequences deeper than this are refused: no real data set comes near, and every reader of items recurses. */
export const MAX_SEQUENCE_DEPTH = 128;

/**
 * Parses a DICOM Part 10 file (128-byte preamble, "DICM", File Meta Information): implicit and
 * explicit VR, little and big endian, deflated data sets, undefined-length sequences and items,
 * private tags and encapsulated Pixel Data. Pixel values are not decoded here (see decodeFrames).
 *
 * Throws DicomError: DICOM_NOT_DICOM (no "DICM" prefix), DICOM_TRUNCATED (the data ends inside an
 * element), DICOM_MALFORMED (anything else the parser cannot make sense of, including a Deflated
 * data set that is not deflated and sequences nested deeper than MAX_SEQUENCE_DEPTH).
 */
export function parseDicom(input: Uint8Array): DicomFile {
  if (!(input instanceof Uint8Array)) throw new DicomError('DICOM_NOT_DICOM', `expected the file's bytes as a Uint8Array, got ${describe(input)}`);
  // A plain Uint8Array over the same memory: Node's Buffer.slice shares memory where Uint8Array.slice copies.
  const bytes = input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length < PREAMBLE_LENGTH + 4 || !hasDicmPrefix(bytes)) {
    throw new DicomError(
      'DICOM_NOT_DICOM',
      bytes.length < PREAMBLE_LENGTH + 4
        ? `not a DICOM Part 10 file: ${bytes.length} bytes is shorter than the 128-byte preamble and "DICM" prefix`
        : 'not a DICOM Part 10 file: no "DICM" prefix at byte 128 (files without the preamble and File Meta Information are not accepted)',
    );
  }
  try {
    const meta = dicomParser.readPart10Header(bytes);
    const transferSyntaxUID = readTransferSyntax(meta);
    checkMeta(meta);
    const parsed = readDataSet(bytes, meta, transferSyntaxUID);
    checkSequenceDepth(parsed);
    const littleEndian = transferSyntaxUID !== TransferSyntax.ExplicitVRBigEndian;
    return new DicomFile(bytes, parsed, transferSyntaxUID, littleEndian, parsed.warnings ?? []);
  } catch (thrown) {
    // dicom-parser throws strings, Errors and {exception, dataSet}: all become DicomErrors.
    throw parserError(thrown);
  }
}

/**
 * Reads the data set after the File Meta Information, merged with it. Like dicom-parser's own
 * parseDicom, except that (as pydicom does) a little-endian data set whose first element shows the
 * other VR encoding than the transfer syntax says is read the way it is actually encoded.
 */
function readDataSet(bytes: Uint8Array, meta: DataSet, transferSyntaxUID: string): DataSet {
  const position = (meta as DataSet & { position: number }).position;
  const byteArray = transferSyntaxUID === TransferSyntax.DeflatedExplicitVRLittleEndian ? inflateDataSet(bytes, position) : bytes;
  const bigEndian = transferSyntaxUID === TransferSyntax.ExplicitVRBigEndian;
  const byteArrayParser = bigEndian ? dicomParser.bigEndianByteArrayParser : dicomParser.littleEndianByteArrayParser;
  const warnings = [...(meta.warnings ?? [])];
  const elements: DataSet['elements'] = {};
  const dataSet = new (dicomParser as unknown as { DataSet: DataSetConstructor }).DataSet(byteArrayParser, byteArray, elements);
  let explicit = transferSyntaxUID !== TransferSyntax.ImplicitVRLittleEndian;
  if (position < byteArray.length) {
    if (!bigEndian && position + 6 <= byteArray.length) {
      const found = looksExplicit(byteArray, position);
      if (found !== explicit) {
        warnings.push(`the transfer syntax ${transferSyntaxUID} says ${explicit ? 'explicit' : 'implicit'} VR, but the data set is encoded with ${found ? 'explicit' : 'implicit'} VR; read as encoded`);
        explicit = found;
      }
    }
    const stream = new dicomParser.ByteStream(byteArrayParser, byteArray, position);
    if (explicit) parseExplicitDataSet(dataSet, stream, byteArray.length);
    else dicomParser.parseDicomDataSetImplicit(dataSet, stream, byteArray.length);
    warnings.push(...stream.warnings);
  }
  Object.assign(elements, meta.elements);
  dataSet.warnings = warnings;
  return dataSet;
}

/** dicom-parser's DataSet class, which its type declarations leave out. */
type DataSetConstructor = new (parser: DataSet['byteArrayParser'], byteArray: Uint8Array, elements: DataSet['elements']) => DataSet;

/** An explicit-VR element has two upper-case letters (its VR) after the 4-byte tag. */
function looksExplicit(bytes: Uint8Array, position: number): boolean {
  const upper = (b: number) => b >= 0x41 && b <= 0x5a;
  return upper(bytes[position + 4]!) && upper(bytes[position + 5]!);
}

function hasDicmPrefix(bytes: Uint8Array): boolean {
  return bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/** The whole file with the deflated data set (everything after the File Meta Information) inflated. */
function inflateDataSet(bytes: Uint8Array, position: number): Uint8Array {
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(bytes.subarray(position));
  } catch (error) {
    throw new DicomError('DICOM_MALFORMED', `the data set of this Deflated Explicit VR Little Endian file cannot be inflated: ${(error as Error).message}`, { cause: error });
  }
  // Inflating data that was never deflated can "succeed" (a stored block with no checks): what comes out must be elements.
  if (inflated.length < 6 || !looksExplicit(inflated, 0)) {
    throw new DicomError('DICOM_MALFORMED', `the transfer syntax is Deflated Explicit VR Little Endian, but the data set does not inflate to explicit VR elements (${inflated.length} bytes came out): it is not deflated`);
  }
  const full = new Uint8Array(position + inflated.length);
  full.set(bytes.subarray(0, position), 0);
  full.set(inflated, position);
  return full;
}

/** DICOM_MALFORMED when sequences nest deeper than MAX_SEQUENCE_DEPTH (walked without recursion). */
function checkSequenceDepth(root: DataSet): void {
  const pending: [DataSet, number][] = [[root, 0]];
  while (pending.length > 0) {
    const [dataSet, depth] = pending.pop()!;
    for (const key in dataSet.elements) {
      for (const item of dataSet.elements[key]!.items ?? []) {
        if (!item.dataSet) continue;
        if (depth + 1 > MAX_SEQUENCE_DEPTH) throw tooDeep();
        pending.push([item.dataSet, depth + 1]);
      }
    }
  }
}

function tooDeep(cause?: unknown): DicomError {
  return new DicomError('DICOM_MALFORMED', `sequences are nested more than ${MAX_SEQUENCE_DEPTH} levels deep`, { cause });
}

function readTransferSyntax(parsed: DataSet): string {
  const element = parsed.elements.x00020010;
  if (!element || element.length === 0) {
    throw new DicomError('DICOM_MALFORMED', 'the File Meta Information has no Transfer Syntax UID (0002,0010), so the data set cannot be read');
  }
  return (parsed.string('x00020010') ?? '').replace(/\0/g, '').trim();
}

/**
 * The File Meta Information holds group 0002 only, within the bytes. (dicom-parser takes any
 * element before group 0003 as meta, and lets the last one run past the end of the bytes; in the
 * data set it reports such overruns itself.)
 */
function checkMeta(meta: DataSet): void {
  const size = meta.byteArray.length;
  for (const key in meta.elements) {
    const element = meta.elements[key]!;
    const tag = `(${element.tag.slice(1, 5)},${element.tag.slice(5)})`.toUpperCase();
    if (!element.tag.startsWith('x0002')) {
      throw new DicomError('DICOM_MALFORMED', `element ${tag} lies among the File Meta Information, which holds group 0002 only`);
    }
    if (element.dataOffset + element.length > size) {
      throw new DicomError('DICOM_TRUNCATED', `the file is truncated: element ${tag} declares ${element.length} bytes at offset ${element.dataOffset}, but the data ends at ${size}`);
    }
  }
}

// dicom-parser's messages when an element or item claims more bytes than remain.
const TRUNCATION = /past end of buffer|buffer overr(un|ead)|cannot seek|eof encountered/i;

/** Maps what dicom-parser throws (strings, Errors, or {exception, dataSet}) to a DicomError. */
function parserError(thrown: unknown): DicomError {
  if (thrown instanceof DicomError) return thrown;
  const inner = typeof thrown === 'object' && thrown !== null && 'exception' in thrown ? (thrown as { exception: unknown }).exception : thrown;
  if (inner instanceof DicomError) return inner;
  // dicom-parser reads items recursively: far deeper nesting than the cap overflows the stack first.
  if (inner instanceof RangeError && /call stack/i.test(inner.message)) return tooDeep(inner);
  const message = inner instanceof Error ? inner.message : String(inner);
  const detail = message.replace(/^dicomParser[.:]\s*\w*:?\s*/, '');
  if (/0002,0010/.test(message)) {
    return new DicomError('DICOM_MALFORMED', 'the File Meta Information has no Transfer Syntax UID (0002,0010), so the data set cannot be read', { cause: inner });
  }
  // dicom-parser's own words ("invalid value for parameter 'maxP osition'") name its internals, not the file.
  if (/maxP ?osition/i.test(message)) return new DicomError('DICOM_TRUNCATED', 'the file is truncated: a sequence or item declares more bytes than the file has left', { cause: inner });
  if (TRUNCATION.test(message)) return new DicomError('DICOM_TRUNCATED', `the file is truncated: ${detail}`, { cause: inner });
  return new DicomError('DICOM_MALFORMED', `the file is not valid DICOM: ${detail}`, { cause: inner });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}
