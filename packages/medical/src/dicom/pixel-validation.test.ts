import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DicomError } from '@cvf/core';
import { describe, expect, it } from 'vitest';
import { PYDICOM_CORPUS } from '../node/reference-tools.js';
import { decodeFrames } from './decode-frames.js';
import { inspectDicom } from './inspect-report.js';
import { deriveDisplayParams } from '../display/display-params.js';
import { MAX_SEQUENCE_DEPTH, parseDicom } from './parse-dicom.js';
import { buildPart10, concat, imagePixelElements, type TestElement, type TestFileOptions } from './testing/part10-builder.js';
import { TransferSyntax } from './transfer-syntax.js';

const corpus = (name: string) => new Uint8Array(readFileSync(join(PYDICOM_CORPUS, name)));

/** A copy of an explicit VR little endian file with the US value of `tag` (GGGGEEEE) set to `value`. */
function withUS(bytes: Uint8Array, tag: string, value: number): Uint8Array {
  const group = parseInt(tag.slice(0, 4), 16);
  const element = parseInt(tag.slice(4), 16);
  const pattern = [group & 0xff, group >> 8, element & 0xff, element >> 8, 0x55, 0x53, 2, 0];
  const at = bytes.findIndex((_, i) => pattern.every((b, k) => bytes[i + k] === b));
  if (at < 0) throw new Error(`no US element ${tag}`);
  const out = bytes.slice();
  new DataView(out.buffer).setUint16(at + 8, value, true);
  return out;
}

async function errorOf(promise: Promise<unknown>): Promise<DicomError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DicomError);
  return error as DicomError;
}

describe('decoded pixels are held to the header', () => {
  it('RLE data short of the rows the header declares is DICOM_TRUNCATED, not zero-filled', async () => {
    const file = parseDicom(withUS(corpus('SC_rgb_rle.dcm'), '00280010', 129));
    expect(file.number('00280010')).toBe(129);
    const error = await errorOf(inspectDicom(file));
    expect(error.code).toBe('DICOM_TRUNCATED');
    expect(error.message).toMatch(/RLE Lossless: segment 1 decodes to 10000 bytes, but 129×100 pixels need 12900/);
    // The file as it is still decodes.
    expect((await decodeFrames(parseDicom(corpus('SC_rgb_rle.dcm')))).rows).toBe(100);
  });
});

const pixels = (changes: Record<string, number> = {}) =>
  imagePixelElements({ rows: 2, columns: 2, bitsAllocated: 16 }).map((e) => (e.tag in changes ? { ...e, value: [changes[e.tag]!] } : e));
const image = (elements: TestElement[], pixelData = new Uint8Array(8), options?: TestFileOptions) =>
  buildPart10([...elements, { tag: '7FE00010', vr: 'OW', value: pixelData }], options);

describe('header values are validated', () => {
  it('a non-finite Rescale Slope (DS "1e400") is DICOM_MALFORMED, not "slope": null', async () => {
    const file = parseDicom(image([...pixels(), { tag: '00281053', vr: 'DS', value: '1e400' }]));
    const error = await errorOf(inspectDicom(file));
    expect([error.code, error.message]).toEqual(['DICOM_MALFORMED', 'Rescale Slope (0028,1053) Infinity is not a finite number']);
    // The display pipeline (predict) falls back to the identity slope, and says so.
    const params = deriveDisplayParams(file);
    expect(params.modality).toEqual({ kind: 'rescale', slope: 1, intercept: 0 });
    expect(params.warnings).toEqual(['Rescale Slope Infinity / Intercept 0 is not a usable rescale; slope 1, intercept 0 used']);
  });

  it('a window with a width ≤ 0 is left out (min–max, as the display pipeline does)', async () => {
    const windowed = (width: string) => parseDicom(image([...pixels(), { tag: '00281050', vr: 'DS', value: '40' }, { tag: '00281051', vr: 'DS', value: width }]));
    expect((await inspectDicom(windowed('-400'))).window).toBeNull();
    expect((await inspectDicom(windowed('0'))).window).toBeNull();
    expect((await inspectDicom(windowed('400'))).window).toEqual({ center: 40, width: 400 });
    const params = deriveDisplayParams(windowed('-400'));
    expect(params.voi).toEqual({ kind: 'min-max' });
    expect(params.warnings.join()).toMatch(/Width -400 .* not a valid window; min–max used/);
  });

  it('High Bit outside Bits Allocated, or below Bits Stored − 1, is DICOM_MALFORMED', async () => {
    // Bits Allocated 32, High Bit 63 on 16-bit data.
    const wide = parseDicom(image(pixels({ '00280100': 32, '00280102': 63 }), new Uint8Array(16)));
    expect((await errorOf(decodeFrames(wide))).message).toMatch(/High Bit 63 must lie between Bits Stored − 1 \(15\) and Bits Allocated − 1 \(31\)/);
    const low = parseDicom(image(pixels({ '00280102': 7 })));
    expect((await errorOf(decodeFrames(low))).code).toBe('DICOM_MALFORMED');
  });

  it('native Pixel Data shorter than every declared frame is DICOM_TRUNCATED, even when only frame 1 is asked for', async () => {
    const file = parseDicom(image([...pixels(), { tag: '00280008', vr: 'IS', value: '2' }], new Uint8Array(12)));
    const error = await errorOf(decodeFrames(file, { frames: [0] }));
    expect([error.code, error.message]).toEqual(['DICOM_TRUNCATED', 'Pixel Data holds 12 bytes, but frame 2 of 2 (2×2, 1 sample(s) of 16 bits) needs 16']);
  });

  it('a file declaring Deflated Explicit VR Little Endian whose data set is not deflated is DICOM_MALFORMED', () => {
    // Raw, (0009,0000) starts with the bits of a final stored deflate block of 0 bytes: inflating "succeeds", empty.
    const bytes = image([{ tag: '00090000', vr: 'UL', value: [20] }, { tag: '00090010', vr: 'LO', value: 'ACME PRIVATE' }, ...pixels()], undefined, {
      transferSyntaxUID: TransferSyntax.DeflatedExplicitVRLittleEndian,
    });
    expect(() => parseDicom(bytes)).toThrow(expect.objectContaining({ code: 'DICOM_MALFORMED', message: expect.stringMatching(/it is not deflated/) }));
  });
});

/** Sequences of one undefined-length item each, `depth` deep, appended to the data set. */
function nested(depth: number): Uint8Array {
  const open = Uint8Array.from([0x40, 0x00, 0x30, 0xa7, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff]);
  const close = Uint8Array.from([0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0, 0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
  return concat([...Array<Uint8Array>(depth).fill(open), ...Array<Uint8Array>(depth).fill(close)]);
}

describe('sequence nesting', () => {
  it(`refuses sequences nested deeper than ${MAX_SEQUENCE_DEPTH} levels with DICOM_MALFORMED, never a stack overflow`, () => {
    const base = image(pixels());
    for (const depth of [MAX_SEQUENCE_DEPTH + 1, 5000]) {
      expect(() => parseDicom(concat([base, nested(depth)]))).toThrow(expect.objectContaining({ code: 'DICOM_MALFORMED', message: `sequences are nested more than ${MAX_SEQUENCE_DEPTH} levels deep` }));
    }
    expect(parseDicom(concat([base, nested(MAX_SEQUENCE_DEPTH)])).has('0040A730')).toBe(true);
  });
});
