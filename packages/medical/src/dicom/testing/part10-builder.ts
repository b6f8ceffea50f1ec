/**
 * A minimal DICOM Part 10 writer for tests and benchmarks: Explicit VR Little Endian data sets
 * (or any transfer syntax UID, with encapsulated Pixel Data from given fragments). Not a general
 * writer: no implicit VR, no big endian, no sequences beyond what the tests need.
 */

export type TestValue = string | readonly number[] | Uint8Array | readonly TestElement[][];

export interface TestElement {
  /** GGGGEEEE */
  readonly tag: string;
  readonly vr: string;
  readonly value: TestValue;
}

export interface TestFileOptions {
  /** Default Explicit VR Little Endian. */
  readonly transferSyntaxUID?: string;
  /** Encapsulated Pixel Data: per frame, its codestream as one fragment or as several; with an empty or filled Basic Offset Table. */
  readonly encapsulatedFrames?: readonly (Uint8Array | readonly Uint8Array[])[];
  readonly basicOffsetTable?: boolean;
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const BINARY: Record<string, [number, (view: DataView, offset: number, value: number) => void]> = {
  US: [2, (v, o, x) => v.setUint16(o, x, true)],
  SS: [2, (v, o, x) => v.setInt16(o, x, true)],
  UL: [4, (v, o, x) => v.setUint32(o, x, true)],
  SL: [4, (v, o, x) => v.setInt32(o, x, true)],
  FL: [4, (v, o, x) => v.setFloat32(o, x, true)],
  FD: [8, (v, o, x) => v.setFloat64(o, x, true)],
  OW: [2, (v, o, x) => v.setUint16(o, x, true)],
};

export const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

/** The bytes of a Part 10 file holding `elements` (sorted by tag here) and the File Meta Information. */
export function buildPart10(elements: readonly TestElement[], options: TestFileOptions = {}): Uint8Array {
  const transferSyntaxUID = options.transferSyntaxUID ?? '1.2.840.10008.1.2.1';
  const sopClass = stringOf(elements, '00080016') ?? SECONDARY_CAPTURE;
  const sopInstance = stringOf(elements, '00080018') ?? '1.2.826.0.1.3680043.10.1.1';
  const metaBody = concat([
    element({ tag: '00020001', vr: 'OB', value: new Uint8Array([0, 1]) }),
    element({ tag: '00020002', vr: 'UI', value: sopClass }),
    element({ tag: '00020003', vr: 'UI', value: sopInstance }),
    element({ tag: '00020010', vr: 'UI', value: transferSyntaxUID }),
    element({ tag: '00020012', vr: 'UI', value: '1.2.826.0.1.3680043.10.1' }),
  ]);
  const groupLength = element({ tag: '00020000', vr: 'UL', value: [metaBody.length] });
  const body = [...elements].sort((a, b) => a.tag.localeCompare(b.tag)).map((e) => element(e));
  if (options.encapsulatedFrames) body.push(encapsulatedPixelData(options.encapsulatedFrames, options.basicOffsetTable ?? false));
  const preamble = new Uint8Array(132);
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128);
  return concat([preamble, groupLength, metaBody, ...body]);
}

/** One element, explicit VR little endian. */
export function element({ tag, vr, value }: TestElement): Uint8Array {
  const bytes = valueBytes(vr, value);
  const long = LONG_VRS.has(vr);
  const header = new Uint8Array(long ? 12 : 8);
  const view = new DataView(header.buffer);
  view.setUint16(0, parseInt(tag.slice(0, 4), 16), true);
  view.setUint16(2, parseInt(tag.slice(4), 16), true);
  header[4] = vr.charCodeAt(0);
  header[5] = vr.charCodeAt(1);
  if (long) view.setUint32(8, bytes.length, true);
  else view.setUint16(6, bytes.length, true);
  return concat([header, bytes]);
}

function valueBytes(vr: string, value: TestValue): Uint8Array {
  if (vr === 'SQ') {
    const items = (value as readonly TestElement[][]).map((item) => {
      const content = concat(item.map((e) => element(e)));
      const head = new Uint8Array(8);
      const view = new DataView(head.buffer);
      view.setUint16(0, 0xfffe, true);
      view.setUint16(2, 0xe000, true);
      view.setUint32(4, content.length, true);
      return concat([head, content]);
    });
    return concat(items);
  }
  if (value instanceof Uint8Array) return even(value, 0);
  if (typeof value === 'string') {
    const bytes = new TextEncoder().encode(value);
    return even(bytes, vr === 'UI' || vr === 'OB' ? 0 : 0x20);
  }
  const numbers = value as readonly number[];
  if (vr === 'DS' || vr === 'IS') return valueBytes(vr, numbers.join('\\'));
  const binary = BINARY[vr];
  if (!binary) throw new Error(`the test builder cannot write numbers as ${vr}`);
  const [size, write] = binary;
  const out = new Uint8Array(numbers.length * size);
  const view = new DataView(out.buffer);
  numbers.forEach((n, i) => write(view, i * size, n));
  return out;
}

/** Byte offsets of each frame's first item from the first fragment, for an Extended Offset Table. */
export function fragmentOffsets(frames: readonly (Uint8Array | readonly Uint8Array[])[]): number[] {
  let at = 0;
  return frames.map((frame) => {
    const start = at;
    for (const f of frame instanceof Uint8Array ? [frame] : frame) at += 8 + f.length + (f.length % 2);
    return start;
  });
}

function encapsulatedPixelData(frames: readonly (Uint8Array | readonly Uint8Array[])[], withOffsets: boolean): Uint8Array {
  const item = (bytes: Uint8Array) => {
    const padded = even(bytes, 0);
    const head = new Uint8Array(8);
    const view = new DataView(head.buffer);
    view.setUint16(0, 0xfffe, true);
    view.setUint16(2, 0xe000, true);
    view.setUint32(4, padded.length, true);
    return concat([head, padded]);
  };
  const fragments = frames.map((frame) => concat((frame instanceof Uint8Array ? [frame] : frame).map(item)));
  const offsets = new Uint8Array(withOffsets ? frames.length * 4 : 0);
  if (withOffsets) fragmentOffsets(frames).forEach((o, i) => new DataView(offsets.buffer).setUint32(i * 4, o, true));
  const header = new Uint8Array([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0xff]);
  const delimiter = new Uint8Array([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
  return concat([header, item(offsets), ...fragments, delimiter]);
}

function stringOf(elements: readonly TestElement[], tag: string): string | undefined {
  const found = elements.find((e) => e.tag === tag);
  return typeof found?.value === 'string' ? found.value : undefined;
}

function even(bytes: Uint8Array, pad: number): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = pad;
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The Image Pixel module elements for an image of the given layout. */
export function imagePixelElements(p: {
  rows: number;
  columns: number;
  samplesPerPixel?: number;
  photometricInterpretation?: string;
  bitsAllocated: number;
  bitsStored?: number;
  pixelRepresentation?: number;
  planarConfiguration?: number;
  frames?: number;
}): TestElement[] {
  const out: TestElement[] = [
    { tag: '00280002', vr: 'US', value: [p.samplesPerPixel ?? 1] },
    { tag: '00280004', vr: 'CS', value: p.photometricInterpretation ?? 'MONOCHROME2' },
    { tag: '00280010', vr: 'US', value: [p.rows] },
    { tag: '00280011', vr: 'US', value: [p.columns] },
    { tag: '00280100', vr: 'US', value: [p.bitsAllocated] },
    { tag: '00280101', vr: 'US', value: [p.bitsStored ?? p.bitsAllocated] },
    { tag: '00280102', vr: 'US', value: [(p.bitsStored ?? p.bitsAllocated) - 1] },
    { tag: '00280103', vr: 'US', value: [p.pixelRepresentation ?? 0] },
  ];
  if ((p.samplesPerPixel ?? 1) > 1) out.push({ tag: '00280006', vr: 'US', value: [p.planarConfiguration ?? 0] });
  if (p.frames !== undefined) out.push({ tag: '00280008', vr: 'IS', value: String(p.frames) });
  return out;
}
