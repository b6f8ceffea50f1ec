import { encodePng, imageTensor, Rng } from '@cvf/core';
import { createSecondaryCapture, writeDicom } from '@cvf/medical';
import { TEST_IMAGE_SIZE, testPattern } from './train-test-model.js';

/** A test pattern of class `label` as a PNG file (on its own ArrayBuffer, as fetch bodies are typed). */
export async function patternPng(label: number, seed = 5): Promise<Uint8Array<ArrayBuffer>> {
  const pixels = testPattern(label, new Rng(seed));
  return new Uint8Array(await encodePng(imageTensor('u8', { height: TEST_IMAGE_SIZE, width: TEST_IMAGE_SIZE, channels: 1 }, pixels)));
}

/**
 * A test pattern of class `label` as a DICOM Secondary Capture, 8-bit, with a window that maps
 * 0..255 onto the display range as the PNG's bytes are (so both classify alike).
 */
export function patternDicom(label: number, options: { seed?: number; sopInstanceUID?: string; rows?: number } = {}): Uint8Array<ArrayBuffer> {
  const rows = options.rows ?? TEST_IMAGE_SIZE;
  const pattern = testPattern(label, new Rng(options.seed ?? 5));
  const pixels = rows === TEST_IMAGE_SIZE ? pattern : new Uint8Array(rows * rows);
  const file = writeDicom(
    createSecondaryCapture({
      rows,
      columns: rows,
      pixels,
      modality: 'OT',
      patientId: 'TEST-PATIENT-7',
      sopInstanceUID: options.sopInstanceUID ?? '2.25.1234567',
      window: { center: [127.5], width: [256] },
    }),
  );
  return new Uint8Array(file);
}
