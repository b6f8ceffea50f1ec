import { DicomError } from '@cvf/core';
import { describe, expect, it } from 'vitest';
import { parseDicom } from '../dicom/index.js';
import { bytesElement, createSecondaryCapture, numberElement, sequenceElement, tag, writeDicom, type Dataset } from '../writer/index.js';
import { DisplayTag } from './display-tag-source.js';
import { applyLut, readLut } from './lut.js';

/** A real data set (written, then parsed) whose VOI LUT Sequence holds `item`. */
function lutSource(item: Dataset, transferSyntaxUID?: string) {
  const dataset = createSecondaryCapture({ rows: 1, columns: 1, pixels: new Uint16Array(1), extra: [sequenceElement(tag(0x0028, 0x3010), [item])] });
  const file = parseDicom(writeDicom(dataset, transferSyntaxUID ? { transferSyntaxUID } : {}));
  return file.sequence(DisplayTag.VOILUTSequence)![0]!;
}

const descriptor = (vr: 'US' | 'SS', entries: number, first: number, bits: number) => numberElement(tag(0x0028, 0x3002), vr, entries, first, bits);
const data = (...words: number[]) => numberElement(tag(0x0028, 0x3006), 'OW', ...words);

describe('readLut (LUT Descriptor semantics)', () => {
  it('reads entries, first mapped value, bits and the data words', () => {
    const lut = readLut(lutSource([descriptor('US', 4, 10, 12), data(0, 1000, 2000, 4095)]), 'test', false);
    expect(lut).toMatchObject({ firstMapped: 10, bits: 12 });
    expect([...lut.data]).toEqual([0, 1000, 2000, 4095]);
  });

  it('entry count 0 means 65536 entries', () => {
    const ramp = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const lut = readLut(lutSource([descriptor('US', 0, 0, 16), bytesElement(tag(0x0028, 0x3006), 'OW', new Uint8Array(ramp.buffer))]), 'test', false);
    expect(lut.data.length).toBe(65536);
    expect(lut.data[65535]).toBe(65535);
  });

  it('first mapped value: signed when the VR is SS or the input is signed, else unsigned', () => {
    const words = data(5, 6, 7);
    expect(readLut(lutSource([descriptor('SS', 3, -100, 16), words]), 'test', false).firstMapped).toBe(-100);
    // Implicit VR: no VR in the file, the 16-bit pattern 0xFF9C is −100 only when the input is signed.
    const implicit = lutSource([descriptor('US', 3, 0xff9c, 16), words], '1.2.840.10008.1.2');
    expect(readLut(implicit, 'test', true).firstMapped).toBe(-100);
    expect(readLut(implicit, 'test', false).firstMapped).toBe(0xff9c);
  });

  it('8-bit LUT Data with one byte per entry is read byte by byte', () => {
    const lut = readLut(lutSource([descriptor('US', 3, 0, 8), bytesElement(tag(0x0028, 0x3006), 'OB', new Uint8Array([10, 20, 255]))]), 'test', false);
    expect([...lut.data]).toEqual([10, 20, 255]);
  });

  it.each<[string, Dataset, RegExp]>([
    ['no descriptor', [data(1, 2)], /LUT Descriptor \(0028,3002\) must hold 3 values/],
    ['a short descriptor', [numberElement(tag(0x0028, 0x3002), 'US', 4, 0), data(1, 2, 3, 4)], /must hold 3 values .* found 4 bytes/],
    ['no data', [descriptor('US', 4, 0, 16)], /LUT Data \(0028,3006\) is missing/],
    ['too little data', [descriptor('US', 4, 0, 16), data(1, 2)], /LUT Data \(0028,3006\) has 4 bytes; the descriptor's 4 entries of 16 bits need 8/],
    ['bits out of range', [descriptor('US', 2, 0, 20), data(1, 2)], /bits per entry 20 must be in 1\.\.16/],
  ])('%s is DICOM_MALFORMED', (_name, item, message) => {
    const source = lutSource(item);
    expect(() => readLut(source, 'VOI LUT', false)).toThrow(DicomError);
    expect(() => readLut(source, 'VOI LUT', false)).toThrow(message);
    try {
      readLut(source, 'VOI LUT', false);
    } catch (error) {
      expect((error as DicomError).code).toBe('DICOM_MALFORMED');
    }
  });
});

describe('applyLut', () => {
  it('clamps below the first mapped value and past the last entry; floors fractions', () => {
    const lut = { firstMapped: -2, bits: 16, data: Uint16Array.from([100, 200, 300, 400]) };
    // inputs: −10 → 0, −2 → 0, −1.5 → floor(0.5)=0, −1 → 1, 0 → 2, 1 → 3, 1.9 → 3, 50 → 3
    expect([...applyLut(lut, [-10, -2, -1.5, -1, 0, 1, 1.9, 50])]).toEqual([100, 100, 100, 200, 300, 400, 400, 400]);
  });
});
