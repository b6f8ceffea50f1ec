import { DicomError } from '@cvf/core';
import { describe, expect, it } from 'vitest';
import { decodeFrames } from './decode-frames.js';
import { inspectDicom } from './inspect-report.js';
import { parseDicom } from './parse-dicom.js';
import { buildPart10, fragmentOffsets, imagePixelElements } from './testing/part10-builder.js';
import { TransferSyntax } from './transfer-syntax.js';

/** One 1×1 8-bit RLE frame: the 64-byte header (one segment at 64), then a literal run of one byte. */
function rleFrame(value: number): Uint8Array {
  const frame = new Uint8Array(66);
  const view = new DataView(frame.buffer);
  view.setUint32(0, 1, true);
  view.setUint32(4, 64, true);
  frame[65] = value;
  return frame;
}

function manyFrames(count: number, table: 'basic' | 'extended') {
  const frames = Array.from({ length: count }, (_, i) => rleFrame(i % 251));
  const extended = table === 'extended' ? [{ tag: '7FE00001', vr: 'OV', value: u64(fragmentOffsets(frames)) }] : [];
  return parseDicom(buildPart10([...imagePixelElements({ rows: 1, columns: 1, bitsAllocated: 8, frames: count }), ...extended], {
    transferSyntaxUID: TransferSyntax.RLELossless,
    encapsulatedFrames: frames,
    basicOffsetTable: table === 'basic',
  }));
}

function u64(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setBigUint64(i * 8, BigInt(v), true));
  return out;
}

// Inspecting 200,000 frames took 170 s with the per-frame scan of every fragment (40,000: 7.5 s); under 1 s with binary
// search. The tests' 120 s timeout is what fails a return to quadratic time; speed itself is not asserted here.
const FRAMES = 200_000;

describe('encapsulated frames: many frames', () => {
  it(`inspects ${FRAMES} one-fragment RLE frames located by the Basic Offset Table in linear time`, async () => {
    const file = manyFrames(FRAMES, 'basic');
    const report = await inspectDicom(file);
    expect(report.frames).toBe(FRAMES);
    expect(report.pixel).toMatchObject({ min: 0, max: 250 });
  }, 120_000);

  it(`decodes ${FRAMES} frames located by the Extended Offset Table in linear time`, async () => {
    const file = manyFrames(FRAMES, 'extended');
    const image = await decodeFrames(file);
    expect(image.frames).toBe(FRAMES);
    expect([image.data[1]![0], image.data[FRAMES - 1]![0]]).toEqual([1, (FRAMES - 1) % 251]);
  }, 120_000);

  it('refuses a header that declares more samples than the limit, before decoding', async () => {
    const file = manyFrames(4, 'basic');
    await expect(decodeFrames(file, { maxSamples: 3 })).rejects.toMatchObject({ code: 'DICOM_TOO_LARGE', message: expect.stringMatching(/4 samples .*limit of 3/) });
    expect((await decodeFrames(file, { maxSamples: 4 })).frames).toBe(4);
    // 65535 × 65535 × 3 samples × 1000 frames, with one tiny fragment: refused by the default limit, not decoded.
    const huge = parseDicom(buildPart10(imagePixelElements({ rows: 65535, columns: 65535, samplesPerPixel: 3, photometricInterpretation: 'RGB', bitsAllocated: 8, frames: 1000 }), {
      transferSyntaxUID: TransferSyntax.RLELossless,
      encapsulatedFrames: [rleFrame(0)],
    }));
    expect(await inspectDicom(file, { maxSamples: 3 }).catch((e: unknown) => (e as DicomError).code)).toBe('DICOM_TOO_LARGE');
    const error = await decodeFrames(huge).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DicomError);
    expect((error as DicomError).code).toBe('DICOM_TOO_LARGE');
  });

  it('refuses more frames than fragments', async () => {
    const file = parseDicom(buildPart10(imagePixelElements({ rows: 1, columns: 1, bitsAllocated: 8, frames: 3 }), {
      transferSyntaxUID: TransferSyntax.RLELossless,
      encapsulatedFrames: [rleFrame(1), rleFrame(2)],
    }));
    await expect(decodeFrames(file, { frames: [0] })).rejects.toMatchObject({ code: 'DICOM_MALFORMED', message: expect.stringMatching(/Number of Frames is 3, but there are only 2 fragments/) });
  });
});
