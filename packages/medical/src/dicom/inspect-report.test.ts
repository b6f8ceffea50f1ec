import { describe, expect, it } from 'vitest';
import { inspectDicom } from './inspect-report.js';
import { parseDicom } from './parse-dicom.js';
import { buildPart10, imagePixelElements } from './testing/part10-builder.js';

describe('inspectDicom', () => {
  it('reports the stated encoding, the first window, and the range of every stored value of every frame', async () => {
    // Two 2×2 frames of 12-bit signed CT values; the top 4 bits of each word are junk and must not count.
    const words = new Uint16Array([0xf000 | 0x0c00, 0x0400, 0x0010, 0x07ff, 0x0000, 0x0001, 0xfffe, 0x0002]);
    const file = parseDicom(
      buildPart10([
        { tag: '00080060', vr: 'CS', value: 'CT' },
        { tag: '00281050', vr: 'DS', value: '40\\-600' },
        { tag: '00281051', vr: 'DS', value: '400\\1500' },
        { tag: '00281052', vr: 'DS', value: '-1024' },
        { tag: '00281053', vr: 'DS', value: '1' },
        ...imagePixelElements({ rows: 2, columns: 2, bitsAllocated: 16, bitsStored: 12, pixelRepresentation: 1, frames: 2 }),
        { tag: '7FE00010', vr: 'OW', value: new Uint8Array(words.buffer) },
      ]),
    );
    // Stored values: -1024, 1024, 16, 2047 | 0, 1, -2, 2.
    expect(await inspectDicom(file)).toEqual({
      transferSyntaxUID: '1.2.840.10008.1.2.1',
      rows: 2,
      columns: 2,
      frames: 2,
      samplesPerPixel: 1,
      bitsAllocated: 16,
      bitsStored: 12,
      pixelRepresentation: 1,
      photometricInterpretation: 'MONOCHROME2',
      modality: 'CT',
      rescale: { slope: 1, intercept: -1024 },
      window: { center: 40, width: 400 },
      pixel: { min: -1024, max: 2047, mean: (-1024 + 1024 + 16 + 2047 + 0 + 1 - 2 + 2) / 8 },
    });
  });

  it('gives identity rescale and a null window and modality when the file has none; colour after conversion to RGB', async () => {
    const file = parseDicom(
      buildPart10([
        ...imagePixelElements({ rows: 1, columns: 1, samplesPerPixel: 3, photometricInterpretation: 'YBR_FULL', bitsAllocated: 8 }),
        { tag: '7FE00010', vr: 'OB', value: new Uint8Array([128, 128, 255]) },
      ]),
    );
    const report = await inspectDicom(file);
    expect(report).toMatchObject({ modality: null, rescale: { slope: 1, intercept: 0 }, window: null, photometricInterpretation: 'YBR_FULL', samplesPerPixel: 3 });
    // RGB of (128, 128, 255) is (255, 37, 128).
    expect(report.pixel).toEqual({ min: 37, max: 255, mean: (255 + 37 + 128) / 3 });
  });
});
