import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DicomError } from '@cvf/core';
import { commandRuns, requireInCi } from '@cvf/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFrames } from './decode-frames.js';
import { parseDicom } from './parse-dicom.js';
import { buildPart10, fragmentOffsets, imagePixelElements, type TestElement } from './testing/part10-builder.js';
import { TransferSyntax } from './transfer-syntax.js';

const le16 = (values: number[]) => new Uint8Array(new Uint16Array(values).buffer);

function file(pixel: Parameters<typeof imagePixelElements>[0], pixelData: Uint8Array, vr = 'OW', extra: TestElement[] = []) {
  return parseDicom(buildPart10([...imagePixelElements(pixel), ...extra, { tag: '7FE00010', vr, value: pixelData }]));
}

async function expectDicomError(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DicomError);
  expect((error as DicomError).code).toBe(code);
  if (message) expect((error as DicomError).message).toMatch(message);
}

describe('decodeFrames: native pixel data', () => {
  it('masks Bits Stored and sign-extends signed values, ignoring bits above High Bit', async () => {
    // 12 stored bits in 16: 0xF800 | 0x07FF is +2047 once the 4 junk bits are cleared; 0x0800 is -2048.
    const image = await decodeFrames(file({ rows: 1, columns: 4, bitsAllocated: 16, bitsStored: 12, pixelRepresentation: 1 }, le16([0xf7ff, 0x0800, 0x1fff, 0x0001])));
    expect(image.data[0]).toBeInstanceOf(Int16Array);
    expect([...image.data[0]!]).toEqual([2047, -2048, -1, 1]);
    expect(image).toMatchObject({ bitsAllocated: 16, bitsStored: 12, pixelRepresentation: 1, photometricInterpretation: 'MONOCHROME2' });
  });

  it('masks unsigned values to Bits Stored', async () => {
    const image = await decodeFrames(file({ rows: 1, columns: 3, bitsAllocated: 16, bitsStored: 10 }, le16([0xfc00 | 1023, 0x0400, 5])));
    expect(image.data[0]).toBeInstanceOf(Uint16Array);
    expect([...image.data[0]!]).toEqual([1023, 0, 5]);
  });

  it('reads signed 8-bit and 32-bit samples into signed arrays', async () => {
    const int8 = await decodeFrames(file({ rows: 1, columns: 2, bitsAllocated: 8, pixelRepresentation: 1 }, new Uint8Array([0xff, 0x7f]), 'OB'));
    expect(int8.data[0]).toBeInstanceOf(Int8Array);
    expect([...int8.data[0]!]).toEqual([-1, 127]);
    const int32 = await decodeFrames(file({ rows: 1, columns: 2, bitsAllocated: 32, pixelRepresentation: 1 }, new Uint8Array(new Int32Array([-70000, 70000]).buffer)));
    expect(int32.data[0]).toBeInstanceOf(Int32Array);
    expect([...int32.data[0]!]).toEqual([-70000, 70000]);
  });

  it('interleaves Planar Configuration 1 (R plane, G plane, B plane) into RGB triplets', async () => {
    const planes = new Uint8Array([1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24]);
    const image = await decodeFrames(file({ rows: 2, columns: 2, samplesPerPixel: 3, photometricInterpretation: 'RGB', bitsAllocated: 8, planarConfiguration: 1 }, planes, 'OB'));
    expect([...image.data[0]!]).toEqual([1, 11, 21, 2, 12, 22, 3, 13, 23, 4, 14, 24]);
    expect(image).toMatchObject({ samplesPerPixel: 3, photometricInterpretation: 'RGB' });
  });

  it('decodes every frame of a multi-frame image, or the frames asked for in the order asked', async () => {
    const pixels = le16([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const dicom = file({ rows: 2, columns: 2, bitsAllocated: 16, frames: 3 }, pixels);
    const all = await decodeFrames(dicom);
    expect(all.frames).toBe(3);
    expect(all.data.map((d) => [...d])).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
    const some = await decodeFrames(dicom, { frames: [2, 0] });
    expect(some).toMatchObject({ frames: 2, numberOfFrames: 3, frameIndices: [2, 0] });
    expect(some.data.map((d) => [...d])).toEqual([[9, 10, 11, 12], [1, 2, 3, 4]]);
    await expect(decodeFrames(dicom, { frames: [3] })).rejects.toThrow(/frame index 3 is out of range: the image has 3 frame\(s\)/);
  });

  it('unpacks 1-bit frames that do not start on a byte boundary (least significant bit first)', async () => {
    // Two 3×3 frames = 18 bits: frame 0 is a diagonal, frame 1 its complement.
    const bits = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0];
    const packed = new Uint8Array(4);
    bits.forEach((b, i) => (packed[i >> 3]! |= b << (i & 7)));
    const image = await decodeFrames(file({ rows: 3, columns: 3, bitsAllocated: 1, frames: 2 }, packed, 'OB'));
    expect(image.data.map((d) => [...d])).toEqual([bits.slice(0, 9), bits.slice(9)]);
    expect(image).toMatchObject({ bitsAllocated: 8, bitsStored: 1 });
  });

  it('converts YBR_FULL and YBR_FULL_422 to RGB', async () => {
    // Y=128, Cb=128, Cr=255 is a saturated red-ish pixel: R = 128 + 1.402·127 = 306 → 255.
    const full = await decodeFrames(file({ rows: 1, columns: 2, samplesPerPixel: 3, photometricInterpretation: 'YBR_FULL', bitsAllocated: 8 }, new Uint8Array([128, 128, 255, 76, 85, 255]), 'OB'));
    expect([...full.data[0]!]).toEqual([255, 37, 128, 254, 0, 0]);
    expect(full).toMatchObject({ photometricInterpretation: 'RGB', storedPhotometricInterpretation: 'YBR_FULL' });
    // 4:2:2 stores Y1 Y2 Cb Cr for each pair of pixels.
    const sub = await decodeFrames(file({ rows: 1, columns: 2, samplesPerPixel: 3, photometricInterpretation: 'YBR_FULL_422', bitsAllocated: 8 }, new Uint8Array([76, 150, 85, 255]), 'OB'));
    expect([...sub.data[0]!]).toEqual([254, 0, 0, 255, 74, 74]);
  });

  it('maps PALETTE COLOR indices through 16-bit palettes to RGB', async () => {
    const lut = (values: number[]) => le16(values);
    const extra: TestElement[] = [
      { tag: '00281101', vr: 'US', value: [4, 10, 16] },
      { tag: '00281102', vr: 'US', value: [4, 10, 16] },
      { tag: '00281103', vr: 'US', value: [4, 10, 16] },
      { tag: '00281201', vr: 'OW', value: lut([0, 1000, 2000, 65535]) },
      { tag: '00281202', vr: 'OW', value: lut([5, 6, 7, 8]) },
      { tag: '00281203', vr: 'OW', value: lut([9, 9, 9, 9]) },
    ];
    // Index 10 is the first mapped value; below it maps to entry 0, above the last to entry 3.
    const image = await decodeFrames(file({ rows: 1, columns: 4, photometricInterpretation: 'PALETTE COLOR', bitsAllocated: 8 }, new Uint8Array([10, 12, 3, 200]), 'OB', extra));
    expect(image.data[0]).toBeInstanceOf(Uint16Array);
    expect([...image.data[0]!]).toEqual([0, 5, 9, 2000, 7, 9, 0, 5, 9, 65535, 8, 9]);
    expect(image).toMatchObject({ samplesPerPixel: 3, bitsAllocated: 16, photometricInterpretation: 'RGB', storedPhotometricInterpretation: 'PALETTE COLOR' });
  });

  it('expands segmented palettes (discrete and linear segments)', async () => {
    // Discrete [0, 100], then a linear ramp of 4 steps up to 500: 0, 100, 200, 300, 400, 500.
    const segmented = le16([0, 2, 0, 100, 1, 4, 500]);
    const extra: TestElement[] = ['1101', '1102', '1103'].map((e) => ({ tag: `0028${e}`, vr: 'US', value: [6, 0, 16] }));
    extra.push(...['1221', '1222', '1223'].map((e) => ({ tag: `0028${e}`, vr: 'OW', value: segmented })));
    const image = await decodeFrames(file({ rows: 1, columns: 6, photometricInterpretation: 'PALETTE COLOR', bitsAllocated: 8 }, new Uint8Array([0, 1, 2, 3, 4, 5]), 'OB', extra));
    expect([...image.data[0]!].filter((_, i) => i % 3 === 0)).toEqual([0, 100, 200, 300, 400, 500]);
  });
});

describe('decodeFrames: errors', () => {
  it('names a missing Image Pixel attribute', async () => {
    const dicom = parseDicom(buildPart10([{ tag: '00280010', vr: 'US', value: [2] }, { tag: '7FE00010', vr: 'OB', value: new Uint8Array(4) }]));
    await expectDicomError(decodeFrames(dicom), 'DICOM_MALFORMED', /lacks Columns, SamplesPerPixel, PhotometricInterpretation, BitsAllocated, BitsStored, PixelRepresentation/);
  });

  it('says DICOM_NO_PIXEL_DATA for a data set without pixels', async () => {
    await expectDicomError(decodeFrames(parseDicom(buildPart10([{ tag: '00100010', vr: 'PN', value: 'Doe^Jane' }]))), 'DICOM_NO_PIXEL_DATA');
  });

  it('says DICOM_TRUNCATED when Pixel Data is shorter than the frames it must hold', async () => {
    await expectDicomError(decodeFrames(file({ rows: 4, columns: 4, bitsAllocated: 16, frames: 2 }, le16([1, 2, 3]))), 'DICOM_TRUNCATED', /frame 1 of 2 .* needs 32/);
  });

  it('names the UID and its name for an unsupported transfer syntax', async () => {
    const dicom = parseDicom(buildPart10(imagePixelElements({ rows: 1, columns: 1, bitsAllocated: 8 }), { transferSyntaxUID: TransferSyntax.MPEG2MPML, encapsulatedFrames: [new Uint8Array([0, 0, 1, 0xb3])] }));
    await expectDicomError(decodeFrames(dicom), 'DICOM_UNSUPPORTED_TRANSFER_SYNTAX', /^transfer syntax 1\.2\.840\.10008\.1\.2\.4\.100 \(MPEG2 Main Profile \/ Main Level\) is not supported/);
  });

  it("a corrupt codestream after a good one is still DICOM_DECODE_FAILED, not the good one's image", async () => {
    // pydicom's copy of JPEG2000.dcm whose SIZ segment is overwritten: the same Rows and Columns
    // (1024 × 256), so the good image's pixels would pass for its own.
    const corpus = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
    if (requireInCi("pydicom's test files (python3-pydicom)", commandRuns('test', ['-d', corpus]) || `no ${corpus}`)) return;
    const good = await decodeFrames(parseDicom(new Uint8Array(readFileSync(`${corpus}/JPEG2000.dcm`))));
    expect([good.rows, good.columns]).toEqual([1024, 256]);
    const corrupt = parseDicom(new Uint8Array(readFileSync(`${corpus}/JPEG2000-embedded-sequence-delimiter.dcm`)));
    await expectDicomError(decodeFrames(corrupt), 'DICOM_DECODE_FAILED', /^JPEG 2000 \(OpenJPEG WebAssembly\) could not decode the frame/);
  });

  it('says DICOM_DECODE_FAILED, naming the codec, for a corrupt codestream', async () => {
    const dicom = parseDicom(buildPart10(imagePixelElements({ rows: 8, columns: 8, bitsAllocated: 16 }), { transferSyntaxUID: TransferSyntax.JPEG2000Lossless, encapsulatedFrames: [new Uint8Array([0xff, 0x4f, 0xff, 0x51, 1, 2, 3, 4])] }));
    await expectDicomError(decodeFrames(dicom), 'DICOM_DECODE_FAILED', /^JPEG 2000 \(OpenJPEG WebAssembly\) could not decode the frame/);
  });
});

describe('decodeFrames: encapsulated', () => {
  const frames = [le16([1, 2, 3, 4]), le16([5, 6, 7, 8]), le16([9, 10, 11, 12])];
  const layout = imagePixelElements({ rows: 2, columns: 2, bitsAllocated: 16, frames: 3 });
  const expected = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]];
  const uncompressed = TransferSyntax.EncapsulatedUncompressedExplicitVRLittleEndian;

  it('reads Encapsulated Uncompressed frames located by the Basic Offset Table, one per fragment, or by the Extended Offset Table', async () => {
    for (const basicOffsetTable of [true, false]) {
      const image = await decodeFrames(parseDicom(buildPart10(layout, { transferSyntaxUID: uncompressed, encapsulatedFrames: frames, basicOffsetTable })));
      expect(image.data.map((d) => [...d])).toEqual(expected);
    }
    const offsets = fragmentOffsets(frames);
    const table = (values: number[]) => new Uint8Array(new BigUint64Array(values.map(BigInt)).buffer);
    const extended: TestElement[] = [
      { tag: '7FE00001', vr: 'OV', value: table(offsets) },
      { tag: '7FE00002', vr: 'OV', value: table(frames.map((f) => f.length)) },
    ];
    const image = await decodeFrames(parseDicom(buildPart10([...layout, ...extended], { transferSyntaxUID: uncompressed, encapsulatedFrames: frames })), { frames: [2, 1] });
    expect(image.data.map((d) => [...d])).toEqual([expected[2], expected[1]]);
  });

  it('joins the fragments of a frame by the Basic Offset Table', async () => {
    const split = frames.map((f) => [f.subarray(0, 4), f.subarray(4)]);
    const image = await decodeFrames(parseDicom(buildPart10(layout, { transferSyntaxUID: uncompressed, encapsulatedFrames: split, basicOffsetTable: true })));
    expect(image.data.map((d) => [...d])).toEqual(expected);
  });

  it('says DICOM_MALFORMED when fragments without an offset table cannot be told apart', async () => {
    const split = frames.map((f) => [f.subarray(0, 4), f.subarray(4)]);
    const dicom = parseDicom(buildPart10(layout, { transferSyntaxUID: uncompressed, encapsulatedFrames: split }));
    await expectDicomError(decodeFrames(dicom), 'DICOM_MALFORMED', /6 fragments without an offset table cannot be split into 3 frames/);
  });

  it('reads Float Pixel Data as Float32Array', async () => {
    const floats = new Float32Array([0.5, -1.25, 3e6, 0]);
    const elements: TestElement[] = [
      { tag: '00280002', vr: 'US', value: [1] },
      { tag: '00280004', vr: 'CS', value: 'MONOCHROME2' },
      { tag: '00280010', vr: 'US', value: [2] },
      { tag: '00280011', vr: 'US', value: [2] },
      { tag: '00280100', vr: 'US', value: [32] },
      { tag: '7FE00008', vr: 'OF', value: new Uint8Array(floats.buffer) },
    ];
    const image = await decodeFrames(parseDicom(buildPart10(elements)));
    expect(image.data[0]).toBeInstanceOf(Float32Array);
    expect([...image.data[0]!]).toEqual([...floats]);
  });

  it('decodes HTJ2K (encoded here with OpenJPH) exactly, with and without a Basic Offset Table', async () => {
    const openjph = (await import('@cornerstonejs/codec-openjph/wasmjs')).default;
    const codec = await openjph({ print: () => {}, printErr: () => {} });
    const rows = 5;
    const columns = 7;
    const frames = [0, 1].map((f) => new Int16Array(rows * columns).map((_, i) => ((i * 37 + f * 11) % 300) - 150));
    const encoded = frames.map((pixels) => {
      const encoder = new codec.HTJ2KEncoder();
      encoder.getDecodedBuffer({ width: columns, height: rows, bitsPerSample: 16, componentCount: 1, isSigned: true, isUsingColorTransform: false }).set(new Uint8Array(pixels.buffer));
      encoder.encode();
      const out = encoder.getEncodedBuffer().slice();
      encoder.delete();
      return out;
    });
    for (const basicOffsetTable of [false, true]) {
      const dicom = parseDicom(
        buildPart10(imagePixelElements({ rows, columns, bitsAllocated: 16, pixelRepresentation: 1, frames: 2 }), { transferSyntaxUID: TransferSyntax.HTJ2KLossless, encapsulatedFrames: encoded, basicOffsetTable }),
      );
      const image = await decodeFrames(dicom);
      expect(image.data.map((d) => [...d])).toEqual(frames.map((f) => [...f]));
    }
  });
});

const dcmtkMissing = requireInCi('dcmtk (dcmcrle, dcmcjpls, dcmcjpeg)', commandRuns('dcmcrle'));

describe.skipIf(dcmtkMissing)('decodeFrames: multi-frame files encoded by dcmtk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvf-dcmtk-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const rows = 16;
  const columns = 12;
  const frames = 3;
  // 12-bit signed ramps, different in every frame.
  const pixels = new Int16Array(rows * columns * frames).map((_, i) => ((i * 97) % 4096) - 2048);
  const source = join(dir, 'native.dcm');
  writeFileSync(
    source,
    buildPart10([
      { tag: '00080016', vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.7.3' },
      { tag: '00080018', vr: 'UI', value: '1.2.826.0.1.3680043.10.1.2' },
      { tag: '00080060', vr: 'CS', value: 'OT' },
      ...imagePixelElements({ rows, columns, bitsAllocated: 16, bitsStored: 12, pixelRepresentation: 1, frames }),
      { tag: '7FE00010', vr: 'OW', value: new Uint8Array(pixels.buffer) },
    ]),
  );
  const expected = Array.from({ length: frames }, (_, f) => [...pixels.subarray(f * rows * columns, (f + 1) * rows * columns)]);

  const cases: [string, string, string[], string][] = [
    ['RLE Lossless (dcmcrle)', 'dcmcrle', [], TransferSyntax.RLELossless],
    ['JPEG-LS Lossless (dcmcjpls)', 'dcmcjpls', ['+el'], TransferSyntax.JPEGLSLossless],
    ['JPEG Lossless SV1 (dcmcjpeg +e1)', 'dcmcjpeg', ['+e1'], TransferSyntax.JPEGLosslessSV1],
    ['JPEG Lossless process 14, selection value 6 (dcmcjpeg +el)', 'dcmcjpeg', ['+el', '+sv', '6'], TransferSyntax.JPEGLossless],
    ['Deflated Explicit VR Little Endian (dcmconv +td)', 'dcmconv', ['+td'], TransferSyntax.DeflatedExplicitVRLittleEndian],
    ['Explicit VR Big Endian (dcmconv +tb)', 'dcmconv', ['+tb'], TransferSyntax.ExplicitVRBigEndian],
    ['Implicit VR Little Endian (dcmconv +ti)', 'dcmconv', ['+ti'], TransferSyntax.ImplicitVRLittleEndian],
  ];
  it('JPEG Extended 12-bit (dcmcjpeg +ee) decodes within 1 of what dcmtk\'s own decoder (dcmdjpeg) gives', async () => {
    const lossy = join(dir, 'extended.dcm');
    const reference = join(dir, 'extended-decoded.dcm');
    execFileSync('dcmcjpeg', ['+ee', '+q', '80', source, lossy], { stdio: 'ignore' });
    execFileSync('dcmdjpeg', [lossy, reference], { stdio: 'ignore' });
    const ours = await decodeFrames(parseDicom(readFileSync(lossy)));
    const theirs = await decodeFrames(parseDicom(readFileSync(reference)));
    expect(ours.transferSyntaxUID).toBe(TransferSyntax.JPEGExtended12Bit);
    const worst = Math.max(...ours.data.flatMap((frame, f) => [...frame].map((v, i) => Math.abs(v - theirs.data[f]![i]!))));
    expect(worst).toBeLessThanOrEqual(1);
  });

  for (const [name, tool, args, uid] of cases) {
    it(`${name} decodes to the original pixels`, async () => {
      const out = join(dir, `${tool}${args.join('')}.dcm`);
      execFileSync(tool, [...args, source, out], { stdio: 'ignore' });
      const image = await decodeFrames(parseDicom(readFileSync(out)));
      expect(image.transferSyntaxUID).toBe(uid);
      expect(image.data.map((d) => [...d])).toEqual(expected);
    });
  }
});
