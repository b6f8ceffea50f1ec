import { DicomError } from '@cvf/core';
import { DisplayTag, type DisplayTagSource } from './display-tag-source.js';

/**
 * A lookup table of the Modality or VOI LUT Sequence (PS3.3 C.11.1.1.1, C.11.2.1.1). Inputs below
 * `firstMapped` take the first entry, inputs past the last entry take the last.
 */
export interface Lut {
  /** Input value mapped to entry 0 (may be negative). */
  readonly firstMapped: number;
  /** Bits of each entry (the descriptor's third value): outputs lie in 0..2^bits − 1. */
  readonly bits: number;
  /** One output per entry; its length is the entry count (descriptor 0 means 65536). */
  readonly data: Uint16Array;
  readonly explanation?: string;
}

function malformed(where: string, message: string): DicomError {
  return new DicomError('DICOM_MALFORMED', `${where}: ${message}`);
}

function words(bytes: Uint8Array, littleEndian: boolean): Uint16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint16Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = view.getUint16(i * 2, littleEndian);
  return out;
}

/**
 * Reads one LUT item. The LUT Descriptor (0028,3002) is three 16-bit values: the entry count (0
 * means 2^16), the first mapped input value, and the bits per entry. The first mapped value is read
 * as signed when its VR is SS or `firstMappedSigned` says the LUT's input is signed (PS3.3
 * C.11.1.1.1: it follows Pixel Representation). LUT Data (0028,3006) holds one entry per 16-bit word;
 * 8-bit LUTs whose data has one byte per entry are read byte by byte.
 */
export function readLut(item: DisplayTagSource, where: string, firstMappedSigned: boolean): Lut {
  const descriptorBytes = item.bytes(DisplayTag.LUTDescriptor);
  if (!descriptorBytes || descriptorBytes.length < 6) {
    throw malformed(where, `LUT Descriptor (0028,3002) must hold 3 values (entries, first mapped, bits); found ${descriptorBytes ? descriptorBytes.length : 0} bytes`);
  }
  const [count, firstRaw, bits] = words(descriptorBytes.subarray(0, 6), item.littleEndian) as unknown as [number, number, number];
  const entries = count === 0 ? 65536 : count;
  const signed = item.vr(DisplayTag.LUTDescriptor) === 'SS' || firstMappedSigned;
  const firstMapped = signed && firstRaw >= 0x8000 ? firstRaw - 0x10000 : firstRaw;
  if (bits < 1 || bits > 16) throw malformed(where, `LUT Descriptor bits per entry ${bits} must be in 1..16 (PS3.3 C.11.1.1.1: 8 to 16)`);
  const dataBytes = item.bytes(DisplayTag.LUTData);
  if (!dataBytes) throw malformed(where, 'LUT Data (0028,3006) is missing');
  let data: Uint16Array;
  if (bits <= 8 && dataBytes.length === entries + (entries % 2)) {
    data = Uint16Array.from(dataBytes.subarray(0, entries));
  } else if (dataBytes.length >= entries * 2) {
    data = words(dataBytes.subarray(0, entries * 2), item.littleEndian);
  } else {
    throw malformed(where, `LUT Data (0028,3006) has ${dataBytes.length} bytes; the descriptor's ${entries} entries of ${bits} bits need ${entries * 2}`);
  }
  const explanation = item.strings(DisplayTag.LUTExplanation)[0];
  return explanation ? { firstMapped, bits, data, explanation } : { firstMapped, bits, data };
}

/** Looks up every input: below firstMapped → entry 0; past the end → the last entry. Fractions are floored. */
export function applyLut(lut: Lut, input: ArrayLike<number>, out: Uint16Array = new Uint16Array(input.length)): Uint16Array {
  const { firstMapped, data } = lut;
  const last = data.length - 1;
  for (let i = 0; i < input.length; i++) {
    const index = Math.floor(input[i]! - firstMapped);
    out[i] = data[index <= 0 ? 0 : index >= last ? last : index]!;
  }
  return out;
}
