import { CpuDevice, isDeviceImage } from '@cvf/core';
import { describe, expect, it } from 'vitest';
import { parseDicom } from '../dicom/parse-dicom.js';
import { createSecondaryCapture, textElement, writeDicom, type DataElement } from '../writer/index.js';
import { dicomCine } from './dicom-cine.js';

/** A 4×4 gray multi-frame file whose frame k is filled with 10·k, with the given Cine module elements. */
function cineFile(frames: number, timing: DataElement[]) {
  const pixels = Uint8Array.from({ length: frames * 16 }, (_, i) => 10 * Math.floor(i / 16));
  return parseDicom(writeDicom(createSecondaryCapture({ rows: 4, columns: 4, frames, pixels, modality: 'US', window: { center: [128], width: [256] }, extra: timing })));
}

describe('dicomCine', () => {
  it('times frames by Frame Time Vector (ms between frames), Frame Time, or Cine Rate', () => {
    expect(dicomCine(cineFile(4, [textElement(0x00181065, 'DS', '0', '40', '60', '100')]))!.times).toEqual([0, 0.04, 0.1, 0.2]);
    const byFrameTime = dicomCine(cineFile(3, [textElement(0x00181063, 'DS', '33.5')]))!;
    expect(byFrameTime.times).toEqual([0, 0.0335, 0.067].map((t) => expect.closeTo(t, 12)));
    expect(byFrameTime.frameRate).toBeCloseTo(1000 / 33.5, 9);
    expect(dicomCine(cineFile(3, [textElement(0x00180040, 'IS', '25')]))!.times).toEqual([0, 0.04, 0.08]);
  });

  it('is null for a single frame and for frames without timing (a volume, not a clip); a vector of the wrong length is DICOM_MALFORMED', () => {
    expect(dicomCine(cineFile(1, [textElement(0x00181063, 'DS', '40')]))).toBeNull();
    expect(dicomCine(cineFile(3, []))).toBeNull();
    expect(() => dicomCine(cineFile(3, [textElement(0x00181065, 'DS', '0', '40')]))).toThrow(expect.objectContaining({ code: 'DICOM_MALFORMED' }));
  });

  it('decodes every Nth frame through the display pipeline, each frame its own pixels', async () => {
    const device = new CpuDevice();
    const cine = dicomCine(cineFile(5, [textElement(0x00181063, 'DS', '40')]))!;
    const seen: { index: number; time: number; value: number }[] = [];
    for await (const { index, time, image } of cine.frames({ device, every: 2 })) {
      if (!isDeviceImage(image)) throw new Error('a gray frame is a device image');
      seen.push({ index, time, value: Math.round((image.planar.data as Float32Array)[0]! * 255) });
    }
    // The file's window (center 128, width 256: DICOM's linear function gives x / 255) maps stored values onto 0..1 unchanged: frame k holds 10·k.
    expect(seen).toEqual([
      { index: 0, time: 0, value: 0 },
      { index: 2, time: 0.08, value: 20 },
      { index: 4, time: 0.16, value: 40 },
    ]);
  });
});
