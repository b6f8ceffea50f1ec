import { DicomError } from '@cvf/core';
import type { DicomFile } from '../dicom/dicom-file.js';
import { parseDicom } from '../dicom/parse-dicom.js';
import { TransferSyntax } from '../dicom/transfer-syntax.js';

const PREAMBLE = 128;

/** A file read with `--force`, and how it departed from Part 10. */
export interface ForcedDicomFile {
  readonly file: DicomFile;
  /** What was assumed to read it (no preamble, the transfer syntax guessed); empty for a Part 10 file. */
  readonly assumptions: readonly string[];
}

function isUpper(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x41 && byte <= 0x5a;
}

/** Explicit VR little endian bytes of a File Meta Information that holds the version and the transfer syntax only. */
function minimalMeta(transferSyntaxUID: string): Uint8Array {
  const uid = transferSyntaxUID.length % 2 === 0 ? transferSyntaxUID : `${transferSyntaxUID}\0`;
  const version = [0x02, 0x00, 0x01, 0x00, 0x4f, 0x42, 0, 0, 2, 0, 0, 0, 0x00, 0x01];
  const syntax = [0x02, 0x00, 0x10, 0x00, 0x55, 0x49, uid.length & 0xff, uid.length >> 8, ...Array.from(uid, (c) => c.charCodeAt(0))];
  const length = version.length + syntax.length;
  const groupLength = [0x02, 0x00, 0x00, 0x00, 0x55, 0x4c, 4, 0, length & 0xff, (length >> 8) & 0xff, 0, 0];
  return Uint8Array.from([...groupLength, ...version, ...syntax]);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const PREFIX = Uint8Array.from([...new Array<number>(PREAMBLE).fill(0), 0x44, 0x49, 0x43, 0x4d]);

/**
 * Reads a DICOM file as pydicom's `dcmread(force=True)` does: a Part 10 file as it is; a file that
 * starts with its File Meta Information (no preamble) with a preamble put back; a bare data set
 * (no preamble, no File Meta Information, as older archives and some RT systems write) with the
 * transfer syntax guessed from its first element — explicit VR when a VR follows the tag, big
 * endian when the group reads smaller that way (implicit VR is always little endian).
 */
export function parseDicomForced(bytes: Uint8Array): ForcedDicomFile {
  if (bytes.length >= PREAMBLE + 4 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d) return { file: parseDicom(bytes), assumptions: [] };
  if (bytes.length < 8) throw new DicomError('DICOM_NOT_DICOM', `not DICOM even with --force: ${bytes.length} bytes cannot hold one element`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = view.getUint16(0, true);
  const big = view.getUint16(0, false);
  if (little === 0x0002) return { file: parseDicom(concat(PREFIX, bytes)), assumptions: ['no 128-byte preamble and "DICM" prefix: read from the File Meta Information at byte 0'] };
  const explicit = isUpper(bytes[4]) && isUpper(bytes[5]);
  const littleEndian = !explicit || little <= big;
  const group = littleEndian ? little : big;
  if (group < 0x0008 || group > 0x7fe0) {
    throw new DicomError('DICOM_NOT_DICOM', `not DICOM even with --force: the first element's group would be ${group.toString(16).padStart(4, '0').toUpperCase()}, and a data set starts at group 0008 or later`);
  }
  const syntax = !explicit ? TransferSyntax.ImplicitVRLittleEndian : littleEndian ? TransferSyntax.ExplicitVRLittleEndian : TransferSyntax.ExplicitVRBigEndian;
  const name = !explicit ? 'Implicit VR Little Endian' : littleEndian ? 'Explicit VR Little Endian' : 'Explicit VR Big Endian';
  return {
    file: parseDicom(concat(PREFIX, minimalMeta(syntax), bytes)),
    assumptions: [`no preamble and no File Meta Information: the transfer syntax was guessed from the first element as ${name} (${syntax})`],
  };
}
