import { describe, expect, it } from 'vitest';
import { parseDicom } from '../dicom/parse-dicom.js';
import { createCtImage } from './ct-image.js';
import { writeDicom } from './write-dicom.js';

describe('createCtImage', () => {
  const options = {
    rows: 2,
    columns: 2,
    pixels: Int16Array.from([0, 1024, 1064, 2024]),
    rescale: { slope: 1, intercept: -1024 },
    pixelSpacing: [0.7, 0.7] as const,
    sliceThickness: 2.5,
    position: [-179.65, -179.65, -42.5] as const,
  };

  it('writes an axial CT Image Storage slice with the CT Image and Image Plane attributes, and no Secondary Capture leftovers', () => {
    const file = parseDicom(writeDicom(createCtImage({ ...options, seriesNumber: 3, bodyPart: 'CHEST', convolutionKernel: 'B70f' })));
    expect(file.string('00080016')).toBe('1.2.840.10008.5.1.4.1.1.2');
    expect(file.string('00020002')).toBe('1.2.840.10008.5.1.4.1.1.2');
    expect(file.strings('00080008')).toEqual(['ORIGINAL', 'PRIMARY', 'AXIAL']);
    expect(file.string('00080060')).toBe('CT');
    expect(file.has('00080064')).toBe(false); // Conversion Type is Secondary Capture's
    expect(file.numbers('00280030')).toEqual([0.7, 0.7]);
    expect(file.number('00180050')).toBe(2.5);
    expect(file.numbers('00200032')).toEqual([-179.65, -179.65, -42.5]);
    expect(file.numbers('00200037')).toEqual([1, 0, 0, 0, 1, 0]);
    expect(file.number('00201041')).toBe(-42.5);
    expect(file.string('00281054')).toBe('HU');
    expect(file.number('00281052')).toBe(-1024);
    expect(file.number('00200011')).toBe(3);
    expect(file.string('00180015')).toBe('CHEST');
    expect(file.string('00181210')).toBe('B70f');
    expect(file.number('00280103')).toBe(1);
  });

  it('refuses spacings and positions that are not millimetres, naming the values', () => {
    expect(() => createCtImage({ ...options, sliceThickness: 0 })).toThrow('pixelSpacing 0.7\\0.7 and sliceThickness 0 must be positive millimetres');
    expect(() => createCtImage({ ...options, position: [0, Number.NaN, 0] })).toThrow('position 0\\NaN\\0 must be three finite millimetre values');
  });
});
