import { DicomWriteError } from '@cvf/core';
import { bytesElement, numberElement, textElement, type DataElement, type Dataset } from './data-element.js';
import { tag } from './dicom-tag.js';
import { randomUid } from './uid.js';

export type SecondaryCapturePhotometric = 'MONOCHROME1' | 'MONOCHROME2' | 'RGB';

export interface SecondaryCaptureOptions {
  readonly rows: number;
  readonly columns: number;
  /** Stored values, frame after frame, row-major; RGB interleaved (R, G, B per pixel). Int16Array means signed. */
  readonly pixels: Uint8Array | Uint16Array | Int16Array;
  readonly photometric?: SecondaryCapturePhotometric;
  /** 8 or 16; defaults to the typed array's width. */
  readonly bitsAllocated?: 8 | 16;
  /** Defaults to bitsAllocated. */
  readonly bitsStored?: number;
  readonly frames?: number;
  readonly patientId?: string;
  readonly patientName?: string;
  readonly patientBirthDate?: string;
  readonly patientSex?: string;
  readonly studyUID?: string;
  readonly seriesUID?: string;
  readonly sopInstanceUID?: string;
  readonly studyDate?: string;
  readonly studyTime?: string;
  readonly accessionNumber?: string;
  readonly studyDescription?: string;
  readonly modality?: string;
  readonly instanceNumber?: number;
  readonly rescale?: { readonly slope: number; readonly intercept: number };
  /** Window Center/Width; several values give the choices a viewer offers. */
  readonly window?: { readonly center: readonly number[]; readonly width: readonly number[]; readonly function?: string };
  /** More elements to add (or to replace the generated ones with). */
  readonly extra?: Dataset;
}

/** Secondary Capture SOP Classes (PS3.4 B.5): single frame, and the multi-frame byte/word/true-colour ones. */
const SC_IMAGE = '1.2.840.10008.5.1.4.1.1.7';
const MULTIFRAME_GRAYSCALE_BYTE_SC = '1.2.840.10008.5.1.4.1.1.7.2';
const MULTIFRAME_GRAYSCALE_WORD_SC = '1.2.840.10008.5.1.4.1.1.7.3';
const MULTIFRAME_TRUE_COLOR_SC = '1.2.840.10008.5.1.4.1.1.7.4';

/** Decimal strings (DS) are at most 16 characters. */
function ds(value: number): string {
  const text = String(value);
  return text.length <= 16 ? text : value.toPrecision(10).replace(/\.?0+(e|$)/, '$1');
}

function littleEndianBytes(pixels: Uint8Array | Uint16Array | Int16Array): Uint8Array {
  if (pixels instanceof Uint8Array) return pixels;
  const out = new Uint8Array(pixels.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < pixels.length; i++) view.setUint16(i * 2, pixels[i]! & 0xffff, true);
  return out;
}

/**
 * A Secondary Capture image data set (single- or multi-frame), for tests and for turning ordinary
 * images into DICOM: patient/study/series/instance identity, the image pixel module and Pixel Data.
 * Missing UIDs are generated. Write it with `writeDicom`.
 */
export function createSecondaryCapture(options: SecondaryCaptureOptions): Dataset {
  const { rows, columns, pixels, photometric = 'MONOCHROME2', frames = 1 } = options;
  const samples = photometric === 'RGB' ? 3 : 1;
  const bitsAllocated = options.bitsAllocated ?? (pixels instanceof Uint8Array ? 8 : 16);
  const bitsStored = options.bitsStored ?? bitsAllocated;
  const signed = pixels instanceof Int16Array;
  for (const [name, value] of [['rows', rows], ['columns', columns], ['frames', frames]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > 0xffff) throw new DicomWriteError(`${name} ${value} must be an integer in 1..65535`);
  }
  if ((bitsAllocated === 8) !== pixels instanceof Uint8Array) {
    throw new DicomWriteError(`bitsAllocated ${bitsAllocated} does not match the pixels (${pixels.constructor.name}); use Uint8Array for 8, Uint16Array or Int16Array for 16`);
  }
  if (!Number.isInteger(bitsStored) || bitsStored < 1 || bitsStored > bitsAllocated) throw new DicomWriteError(`bitsStored ${bitsStored} must be an integer in 1..${bitsAllocated}`);
  if (samples === 3 && bitsAllocated !== 8) throw new DicomWriteError(`RGB Secondary Capture is 8 bits per sample; got bitsAllocated ${bitsAllocated}`);
  const expected = rows * columns * samples * frames;
  if (pixels.length !== expected) {
    throw new DicomWriteError(`${pixels.length} pixel values given; ${rows}×${columns}×${samples} sample(s)×${frames} frame(s) needs ${expected}`);
  }
  const sopClass = frames === 1 ? SC_IMAGE : samples === 3 ? MULTIFRAME_TRUE_COLOR_SC : bitsAllocated === 8 ? MULTIFRAME_GRAYSCALE_BYTE_SC : MULTIFRAME_GRAYSCALE_WORD_SC;
  const elements: DataElement[] = [
    textElement(tag(0x0008, 0x0005), 'CS', 'ISO_IR 192'),
    textElement(tag(0x0008, 0x0016), 'UI', sopClass),
    textElement(tag(0x0008, 0x0018), 'UI', options.sopInstanceUID ?? randomUid()),
    textElement(tag(0x0008, 0x0020), 'DA', options.studyDate ?? ''),
    textElement(tag(0x0008, 0x0030), 'TM', options.studyTime ?? ''),
    textElement(tag(0x0008, 0x0050), 'SH', options.accessionNumber ?? ''),
    textElement(tag(0x0008, 0x0060), 'CS', options.modality ?? 'OT'),
    textElement(tag(0x0008, 0x0064), 'CS', 'WSD'),
    textElement(tag(0x0008, 0x0090), 'PN', ''),
    ...(options.studyDescription === undefined ? [] : [textElement(tag(0x0008, 0x1030), 'LO', options.studyDescription)]),
    textElement(tag(0x0010, 0x0010), 'PN', options.patientName ?? ''),
    textElement(tag(0x0010, 0x0020), 'LO', options.patientId ?? ''),
    textElement(tag(0x0010, 0x0030), 'DA', options.patientBirthDate ?? ''),
    textElement(tag(0x0010, 0x0040), 'CS', options.patientSex ?? ''),
    textElement(tag(0x0020, 0x000d), 'UI', options.studyUID ?? randomUid()),
    textElement(tag(0x0020, 0x000e), 'UI', options.seriesUID ?? randomUid()),
    textElement(tag(0x0020, 0x0010), 'SH', ''),
    textElement(tag(0x0020, 0x0011), 'IS', '1'),
    textElement(tag(0x0020, 0x0013), 'IS', String(options.instanceNumber ?? 1)),
    textElement(tag(0x0020, 0x0020), 'CS', ''),
    numberElement(tag(0x0028, 0x0002), 'US', samples),
    textElement(tag(0x0028, 0x0004), 'CS', photometric),
    ...(samples === 3 ? [numberElement(tag(0x0028, 0x0006), 'US', 0)] : []),
    ...(frames > 1 ? [textElement(tag(0x0028, 0x0008), 'IS', String(frames))] : []),
    numberElement(tag(0x0028, 0x0010), 'US', rows),
    numberElement(tag(0x0028, 0x0011), 'US', columns),
    numberElement(tag(0x0028, 0x0100), 'US', bitsAllocated),
    numberElement(tag(0x0028, 0x0101), 'US', bitsStored),
    numberElement(tag(0x0028, 0x0102), 'US', bitsStored - 1),
    numberElement(tag(0x0028, 0x0103), 'US', signed ? 1 : 0),
    bytesElement(tag(0x7fe0, 0x0010), bitsAllocated === 8 ? 'OB' : 'OW', littleEndianBytes(pixels)),
  ];
  if (options.rescale) {
    elements.push(textElement(tag(0x0028, 0x1052), 'DS', ds(options.rescale.intercept)));
    elements.push(textElement(tag(0x0028, 0x1053), 'DS', ds(options.rescale.slope)));
    elements.push(textElement(tag(0x0028, 0x1054), 'LO', 'US'));
  }
  if (options.window) {
    elements.push(textElement(tag(0x0028, 0x1050), 'DS', ...options.window.center.map(ds)));
    elements.push(textElement(tag(0x0028, 0x1051), 'DS', ...options.window.width.map(ds)));
    if (options.window.function) elements.push(textElement(tag(0x0028, 0x1056), 'CS', options.window.function));
  }
  const extra = options.extra ?? [];
  const replaced = new Set(extra.map((e) => e.tag));
  return [...elements.filter((e) => !replaced.has(e.tag)), ...extra];
}

/** A LUT item (Modality or VOI LUT Sequence): descriptor [entries, first mapped, bits], data as 16-bit words. */
export function lutItem(descriptor: readonly [number, number, number], data: readonly number[], explanation?: string): Dataset {
  const [entries, firstMapped, bits] = descriptor;
  // The descriptor is US, or SS when the first mapped value is negative (PS3.3 C.11.1.1.1).
  return [
    numberElement(tag(0x0028, 0x3002), firstMapped < 0 ? 'SS' : 'US', entries, firstMapped, bits),
    numberElement(tag(0x0028, 0x3006), 'OW', ...data),
    ...(explanation === undefined ? [] : [textElement(tag(0x0028, 0x3003), 'LO', explanation)]),
  ];
}

