import { DicomWriteError } from '@cvf/core';
import type { DataElement } from './data-element.js';
import { formatTag, tagElement, tagGroup } from './dicom-tag.js';
import { paddingByte, type Vr } from './value-representation.js';

const utf8 = new TextEncoder();

/** Integer ranges of the integer VRs; the writer refuses a value that would wrap. */
const INTEGER_RANGE: Partial<Record<Vr, readonly [number, number]>> = {
  US: [0, 0xffff],
  OW: [0, 0xffff],
  SS: [-0x8000, 0x7fff],
  UL: [0, 0xffffffff],
  OL: [0, 0xffffffff],
  SL: [-0x80000000, 0x7fffffff],
};

function fail(element: DataElement, message: string): DicomWriteError {
  return new DicomWriteError(`${formatTag(element.tag)} ${element.vr}: ${message}`);
}

function encodeNumbers(element: DataElement, values: readonly (number | bigint)[]): Uint8Array {
  const { vr } = element;
  const width = vr === 'US' || vr === 'SS' || vr === 'OW' ? 2 : vr === 'FD' || vr === 'OD' || vr === 'SV' || vr === 'UV' || vr === 'OV' ? 8 : 4;
  const numeric = ['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'AT', 'OW', 'OL', 'OF', 'OD', 'SV', 'UV', 'OV'];
  if (!numeric.includes(vr)) throw fail(element, `numbers given for a VR that is not numeric; numeric VRs are ${numeric.join(' ')}`);
  const out = new Uint8Array(values.length * width);
  const view = new DataView(out.buffer);
  values.forEach((raw, i) => {
    const at = i * width;
    if (vr === 'SV' || vr === 'UV' || vr === 'OV') {
      const value = BigInt(raw);
      if (vr === 'SV') view.setBigInt64(at, BigInt.asIntN(64, value), true);
      else view.setBigUint64(at, BigInt.asUintN(64, value), true);
      return;
    }
    const value = Number(raw);
    if (!Number.isFinite(value)) throw fail(element, `value ${String(raw)} is not a finite number`);
    if (vr === 'AT') {
      // A tag: group then element, each a 16-bit word.
      view.setUint16(at, tagGroup(value), true);
      view.setUint16(at + 2, tagElement(value), true);
      return;
    }
    if (vr === 'FL' || vr === 'OF') return view.setFloat32(at, value, true);
    if (vr === 'FD' || vr === 'OD') return view.setFloat64(at, value, true);
    const [min, max] = INTEGER_RANGE[vr]!;
    if (!Number.isInteger(value) || value < min || value > max) throw fail(element, `value ${value} is not an integer in ${min}..${max}`);
    if (width === 2) view.setUint16(at, value & 0xffff, true);
    else view.setUint32(at, value >>> 0, true);
  });
  return out;
}

/** The value bytes of a non-sequence element, padded to even length with the VR's padding byte. */
export function encodeValue(element: DataElement): Uint8Array {
  const { value, vr } = element;
  let bytes: Uint8Array;
  switch (value.kind) {
    case 'text':
      bytes = utf8.encode(value.values.join('\\'));
      break;
    case 'numbers':
      bytes = encodeNumbers(element, value.values);
      break;
    case 'bytes':
      bytes = value.bytes;
      break;
    default:
      throw fail(element, `a ${value.kind} value has no flat encoding`);
  }
  if (bytes.length % 2 === 0) return bytes;
  const padded = new Uint8Array(bytes.length + 1);
  padded.set(bytes);
  padded[bytes.length] = paddingByte(vr);
  return padded;
}
