import { DicomError } from '@cvf/core';
import type { DicomDataSet } from './dicom-dataset.js';
import { Tag } from './tags.js';

/** The Palette Color Lookup Table module: three LUTs mapping a stored index to R, G, B. */
export interface PaletteColorLut {
  /** Stored value mapped to entry 0; values below map to entry 0, above the last to the last. */
  readonly firstMapped: number;
  /** Bits of each output value: 8 when the data holds one byte per entry, else 16. */
  readonly bits: 8 | 16;
  /** Significant bits the descriptor declares (8 or 16). */
  readonly descriptorBits: number;
  readonly red: Uint8Array | Uint16Array;
  readonly green: Uint8Array | Uint16Array;
  readonly blue: Uint8Array | Uint16Array;
}

const CHANNELS = [
  ['Red', Tag.RedPaletteColorLookupTableDescriptor, Tag.RedPaletteColorLookupTableData, Tag.SegmentedRedPaletteColorLookupTableData],
  ['Green', Tag.GreenPaletteColorLookupTableDescriptor, Tag.GreenPaletteColorLookupTableData, Tag.SegmentedGreenPaletteColorLookupTableData],
  ['Blue', Tag.BluePaletteColorLookupTableDescriptor, Tag.BluePaletteColorLookupTableData, Tag.SegmentedBluePaletteColorLookupTableData],
] as const;

/** Reads the palette (PS3.3 C.7.6.3.1.5–6, C.7.9), plain or segmented. Throws DICOM_MALFORMED when incomplete. */
export function readPaletteColorLut(dataSet: DicomDataSet, pixelRepresentation: number): PaletteColorLut {
  const luts: (Uint8Array | Uint16Array)[] = [];
  let firstMapped = 0;
  let descriptorBits = 8;
  let bits: 8 | 16 = 8;
  for (const [name, descriptorTag, dataTag, segmentedTag] of CHANNELS) {
    const descriptor = dataSet.bytes(descriptorTag);
    if (!descriptor || descriptor.length < 6) throw malformed(`${name} Palette Color Lookup Table Descriptor (${descriptorTag.slice(0, 4)},${descriptorTag.slice(4)}) is missing`);
    const entries = dataSet.uint16(descriptorTag, 0) || 65536;
    // The first mapped value is signed when the pixels are (US or SS by Pixel Representation).
    firstMapped = pixelRepresentation === 1 ? dataSet.int16(descriptorTag, 1)! : dataSet.uint16(descriptorTag, 1)!;
    descriptorBits = dataSet.uint16(descriptorTag, 2)!;
    const plain = dataSet.bytes(dataTag);
    const segmented = dataSet.bytes(segmentedTag);
    let lut: Uint8Array | Uint16Array;
    if (plain && plain.length > 0) {
      // 8-bit entries may be stored one per byte or one per 16-bit word.
      if (plain.length === entries) lut = plain.slice();
      else if (plain.length >= entries * 2) lut = words(dataSet, plain, entries);
      else throw malformed(`${name} Palette Color Lookup Table Data holds ${plain.length} bytes for ${entries} entries`);
    } else if (segmented && segmented.length > 0) {
      const wordsIn = descriptorBits === 8 ? segmented.slice() : words(dataSet, segmented, Math.floor(segmented.length / 2));
      lut = expandSegmented(wordsIn, entries, descriptorBits === 8 ? Uint8Array : Uint16Array);
    } else {
      throw malformed(`${name} Palette Color Lookup Table Data is missing`);
    }
    bits = lut instanceof Uint8Array ? 8 : 16;
    luts.push(lut);
  }
  if (luts[0]!.length !== luts[1]!.length || luts[0]!.length !== luts[2]!.length) throw malformed('the red, green and blue palettes differ in length');
  return { firstMapped, bits, descriptorBits, red: luts[0]!, green: luts[1]!, blue: luts[2]! };
}

/** Maps stored indices to interleaved RGB through the palette. */
export function applyPaletteColorLut(indices: ArrayLike<number>, lut: PaletteColorLut): Uint8Array | Uint16Array {
  const out = lut.bits === 8 ? new Uint8Array(indices.length * 3) : new Uint16Array(indices.length * 3);
  const last = lut.red.length - 1;
  for (let i = 0, o = 0; i < indices.length; i++, o += 3) {
    let k = indices[i]! - lut.firstMapped;
    k = k < 0 ? 0 : k > last ? last : k;
    out[o] = lut.red[k]!;
    out[o + 1] = lut.green[k]!;
    out[o + 2] = lut.blue[k]!;
  }
  return out;
}

function words(dataSet: DicomDataSet, bytes: Uint8Array, count: number): Uint16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint16Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, dataSet.littleEndian);
  return out;
}

/**
 * Segmented palette data (PS3.3 C.7.9.2): discrete segments (opcode 0: n values), linear segments
 * (1: n steps from the previous value to y), indirect segments (2: repeat earlier segments).
 */
function expandSegmented(data: Uint8Array | Uint16Array, entries: number, Out: typeof Uint8Array | typeof Uint16Array): Uint8Array | Uint16Array {
  const values: number[] = [];
  const expand = (from: number, to: number) => {
    let i = from;
    while (i < to && values.length < entries) {
      const opcode = data[i]!;
      const length = data[i + 1] ?? 0;
      if (opcode === 0) {
        for (let k = 0; k < length; k++) values.push(data[i + 2 + k] ?? 0);
        i += 2 + length;
      } else if (opcode === 1) {
        const y0 = values.length > 0 ? values[values.length - 1]! : 0;
        const y1 = data[i + 2] ?? 0;
        for (let k = 1; k <= length; k++) values.push(Math.round(y0 + ((y1 - y0) * k) / length));
        i += 3;
      } else if (opcode === 2) {
        // Replay `length` segments starting at the word offset given in two words (low word first).
        let j = (data[i + 2] ?? 0) + (data[i + 3] ?? 0) * 65536;
        for (let s = 0; s < length && j < data.length; s++) {
          const op = data[j]!;
          const next = op === 0 ? j + 2 + (data[j + 1] ?? 0) : op === 1 ? j + 3 : j + 4;
          expand(j, next);
          j = next;
        }
        i += 4;
      } else {
        throw malformed(`segmented palette data has an unknown segment opcode ${opcode}`);
      }
    }
  };
  expand(0, data.length);
  const out = new Out(entries);
  for (let i = 0; i < entries; i++) out[i] = values[Math.min(i, values.length - 1)] ?? 0;
  return out;
}

function malformed(message: string): DicomError {
  return new DicomError('DICOM_MALFORMED', `PALETTE COLOR image: ${message}`);
}
