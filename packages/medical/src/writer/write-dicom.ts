import { DicomWriteError } from '@cvf/core';
import { deflateSync } from 'fflate';
import { ByteWriter } from './byte-writer.js';
import { elementText, findElement, numberElement, textElement, bytesElement, type Dataset } from './data-element.js';
import { tag, tagGroup } from './dicom-tag.js';
import { encodeDataset, writeElement } from './encode-dataset.js';

/** Transfer syntaxes whose Pixel Data is native (not encapsulated). */
export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';

/** CV Factory's Implementation Class UID: a UUID-derived UID (PS3.5 B.2), fixed for this writer. */
export const CVF_IMPLEMENTATION_CLASS_UID = '2.25.238185555061118938152729539749707550776';
export const CVF_IMPLEMENTATION_VERSION_NAME = 'CVF_0_1';

export interface WriteDicomOptions {
  /** Default Explicit VR Little Endian. Encapsulated syntaxes (JPEG, RLE, ...) are written explicit VR little endian with fragments. */
  readonly transferSyntaxUID?: string;
  readonly implementationClassUID?: string;
  readonly implementationVersionName?: string;
  readonly sourceApplicationEntityTitle?: string;
  /** Media Storage SOP Class/Instance UID when the data set has no SOP Class/Instance UID (0008,0016/0018) of its own. */
  readonly mediaStorageSOPClassUID?: string;
  readonly mediaStorageSOPInstanceUID?: string;
}

const SOP_CLASS_UID = tag(0x0008, 0x0016);
const SOP_INSTANCE_UID = tag(0x0008, 0x0018);
const PIXEL_DATA = tag(0x7fe0, 0x0010);

function requiredUid(dataset: Dataset, t: number, name: string, fallback: string | undefined): string {
  const element = findElement(dataset, t);
  const uid = (element ? elementText(element)[0] : undefined) || fallback;
  if (!uid) throw new DicomWriteError(`the data set has no ${name}; a Part 10 file's meta information needs it (or give it in the options)`);
  return uid;
}

/** File Meta Information (PS3.10 7.1): group 0002, explicit VR little endian, led by its group length. */
function encodeMeta(dataset: Dataset, transferSyntaxUID: string, options: WriteDicomOptions): Uint8Array {
  const meta: Dataset = [
    bytesElement(tag(0x0002, 0x0001), 'OB', new Uint8Array([0, 1])),
    textElement(tag(0x0002, 0x0002), 'UI', requiredUid(dataset, SOP_CLASS_UID, 'SOP Class UID (0008,0016)', options.mediaStorageSOPClassUID)),
    textElement(tag(0x0002, 0x0003), 'UI', requiredUid(dataset, SOP_INSTANCE_UID, 'SOP Instance UID (0008,0018)', options.mediaStorageSOPInstanceUID)),
    textElement(tag(0x0002, 0x0010), 'UI', transferSyntaxUID),
    textElement(tag(0x0002, 0x0012), 'UI', options.implementationClassUID ?? CVF_IMPLEMENTATION_CLASS_UID),
    textElement(tag(0x0002, 0x0013), 'SH', options.implementationVersionName ?? CVF_IMPLEMENTATION_VERSION_NAME),
    ...(options.sourceApplicationEntityTitle ? [textElement(tag(0x0002, 0x0016), 'AE', options.sourceApplicationEntityTitle)] : []),
  ];
  const body = encodeDataset(meta, { explicitVr: true });
  const out = new ByteWriter();
  writeElement(out, numberElement(tag(0x0002, 0x0000), 'UL', body.length), true);
  out.bytes(body);
  return out.toUint8Array();
}

function checkPixelEncoding(dataset: Dataset, transferSyntaxUID: string): void {
  const pixels = findElement(dataset, PIXEL_DATA);
  if (!pixels) return;
  const native = [IMPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN].includes(transferSyntaxUID);
  const encapsulated = pixels.value.kind === 'fragments';
  if (native && encapsulated) throw new DicomWriteError(`Pixel Data is encapsulated (fragments) but transfer syntax ${transferSyntaxUID} is native; name the compressed syntax the fragments are in`);
  if (!native && !encapsulated) throw new DicomWriteError(`transfer syntax ${transferSyntaxUID} encapsulates Pixel Data, but Pixel Data is native; give it as fragments or write ${EXPLICIT_VR_LITTLE_ENDIAN}`);
}

/**
 * A DICOM Part 10 file: 128-byte preamble, `DICM`, File Meta Information (with its group length),
 * then the data set in the transfer syntax asked for — Explicit VR Little Endian by default; also
 * Implicit VR Little Endian, Deflated, and encapsulated syntaxes for fragments already compressed.
 * Group 0002 elements and group lengths in `dataset` are ignored: the meta information is built
 * here. Sequences and items are written with undefined length; odd values are padded per VR.
 */
export function writeDicom(dataset: Dataset, options: WriteDicomOptions = {}): Uint8Array {
  const transferSyntaxUID = options.transferSyntaxUID ?? EXPLICIT_VR_LITTLE_ENDIAN;
  if (transferSyntaxUID === EXPLICIT_VR_BIG_ENDIAN) {
    throw new DicomWriteError(`transfer syntax ${EXPLICIT_VR_BIG_ENDIAN} (Explicit VR Big Endian, retired) is not written; use ${EXPLICIT_VR_LITTLE_ENDIAN}, ${IMPLICIT_VR_LITTLE_ENDIAN} or ${DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN}`);
  }
  if (!/^[0-9]+(\.[0-9]+)*$/.test(transferSyntaxUID)) throw new DicomWriteError(`transfer syntax "${transferSyntaxUID}" is not a UID`);
  checkPixelEncoding(dataset, transferSyntaxUID);
  const body = dataset.filter((element) => tagGroup(element.tag) > 0x0002 && element.tag % 0x10000 !== 0);
  let encoded = encodeDataset(body, { explicitVr: transferSyntaxUID !== IMPLICIT_VR_LITTLE_ENDIAN });
  if (transferSyntaxUID === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) {
    // Raw DEFLATE (RFC 1951) of the whole data set, padded to even length (PS3.5 A.5).
    const deflated = deflateSync(encoded);
    encoded = new Uint8Array(deflated.length + (deflated.length % 2));
    encoded.set(deflated);
  }
  const meta = encodeMeta(dataset, transferSyntaxUID, options);
  const file = new Uint8Array(132 + meta.length + encoded.length);
  file.set([0x44, 0x49, 0x43, 0x4d], 128);
  file.set(meta, 132);
  file.set(encoded, 132 + meta.length);
  return file;
}
