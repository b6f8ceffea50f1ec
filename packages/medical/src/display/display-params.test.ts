import { DisplayParamsError } from '@cvf/core';
import { describe, expect, it } from 'vitest';
import { parseDicom } from '../dicom/index.js';
import { createSecondaryCapture, lutItem, numberElement, sequenceElement, tag, textElement, writeDicom, type SecondaryCaptureOptions } from '../writer/index.js';
import { deriveDisplayParams } from './display-params.js';

/** A real data set: built with the writer, written, parsed back. */
function source(options: Partial<SecondaryCaptureOptions> = {}) {
  return parseDicom(writeDicom(createSecondaryCapture({ rows: 1, columns: 2, pixels: new Int16Array(2), ...options })));
}

const ct = (extra: SecondaryCaptureOptions['extra'] = [], window?: SecondaryCaptureOptions['window']) =>
  source({ modality: 'CT', rescale: { slope: 1, intercept: -1024 }, ...(window ? { window } : {}), extra });

describe('deriveDisplayParams', () => {
  it('rescale and the first window of the data set, MONOCHROME2 not inverted', () => {
    const params = deriveDisplayParams(ct([], { center: [40, -600], width: [80, 1500] }));
    expect(params).toEqual({
      modality: { kind: 'rescale', slope: 1, intercept: -1024 },
      voi: { kind: 'window', center: 40, width: 80, function: 'LINEAR', source: 'dataset' },
      invert: false,
      warnings: [],
    });
  });

  it('chooses among several windows by index, with their explanation and VOI LUT Function', () => {
    const tags = ct([textElement(tag(0x0028, 0x1055), 'LO', 'BRAIN', 'LUNG'), textElement(tag(0x0028, 0x1056), 'CS', 'SIGMOID')], { center: [40, -600], width: [80, 1500] });
    expect(deriveDisplayParams(tags, { voiIndex: 1 }).voi).toEqual({ kind: 'window', center: -600, width: 1500, function: 'SIGMOID', source: 'dataset', name: 'LUNG' });
    expect(() => deriveDisplayParams(tags, { voiIndex: 2 })).toThrow(/voiIndex 2 is out of range: the data set has 2 windows \(Window Center\/Width\)/);
    expect(() => deriveDisplayParams(tags, { voiIndex: -1 })).toThrow(DisplayParamsError);
  });

  it('presets by modality; an unknown preset or a modality without presets names the valid ones', () => {
    expect(deriveDisplayParams(ct(), { preset: 'lung' }).voi).toEqual({ kind: 'window', center: -600, width: 1500, function: 'LINEAR', source: 'preset', name: 'lung' });
    expect(deriveDisplayParams(ct(), { preset: 'Mediastinum' }).voi).toMatchObject({ center: 50, width: 350 });
    expect(deriveDisplayParams(ct(), { preset: 'bone' }).voi).toMatchObject({ center: 400, width: 1800 });
    expect(deriveDisplayParams(ct(), { preset: 'brain' }).voi).toMatchObject({ center: 40, width: 80 });
    expect(deriveDisplayParams(ct(), { preset: 'abdomen' }).voi).toMatchObject({ center: 50, width: 400 });
    expect(() => deriveDisplayParams(ct(), { preset: 'heart' })).toThrow(/no window preset "heart" for CT; presets: brain, subdural, stroke, lung, mediastinum, abdomen, liver, bone/);
    expect(() => deriveDisplayParams(source({ modality: 'MR' }), { preset: 'lung' })).toThrow(/no window presets for modality "MR"; presets exist for CT/);
  });

  it('an override window wins and is validated', () => {
    const tags = ct([], { center: [40], width: [80] });
    expect(deriveDisplayParams(tags, { window: { center: 10, width: 20, function: 'LINEAR_EXACT' }, preset: 'lung' }).voi).toMatchObject({ center: 10, width: 20, function: 'LINEAR_EXACT', source: 'override' });
    expect(() => deriveDisplayParams(tags, { window: { center: 10, width: 0.5 } })).toThrow(/window width 0\.5 must be ≥ 1 for LINEAR/);
    expect(() => deriveDisplayParams(tags, { window: { center: 10, width: 20, function: 'GAMMA' as never } })).toThrow(/"GAMMA" is not one of LINEAR, LINEAR_EXACT, SIGMOID/);
  });

  it('Modality LUT Sequence replaces the rescale; the VOI LUT is preferred to the window unless asked otherwise', () => {
    const tags = source({
      pixels: new Uint16Array(2),
      window: { center: [100], width: [50] },
      extra: [
        sequenceElement(tag(0x0028, 0x3000), [lutItem([3, 0, 12], [0, 2000, 4095])]),
        sequenceElement(tag(0x0028, 0x3010), [lutItem([2, 0, 8], [0, 255]), lutItem([2, 1, 10], [0, 1023])]),
      ],
    });
    const params = deriveDisplayParams(tags);
    expect(params.modality).toMatchObject({ kind: 'lut', lut: { firstMapped: 0, bits: 12, data: Uint16Array.from([0, 2000, 4095]) } });
    expect(params.voi).toMatchObject({ kind: 'lut', lut: { bits: 8 } });
    expect(deriveDisplayParams(tags, { voiIndex: 1 }).voi).toMatchObject({ kind: 'lut', lut: { firstMapped: 1, bits: 10 } });
    expect(deriveDisplayParams(tags, { prefer: 'window' }).voi).toMatchObject({ kind: 'window', center: 100, width: 50 });
    // Index 1 exists among the VOI LUTs only: preferring the window still finds it there.
    expect(deriveDisplayParams(tags, { prefer: 'window', voiIndex: 1 }).voi).toMatchObject({ kind: 'lut', lut: { bits: 10 } });
  });

  it('MONOCHROME1 inverts; colour images have no grayscale pipeline', () => {
    expect(deriveDisplayParams(source({ photometric: 'MONOCHROME1', pixels: new Uint16Array(2) })).invert).toBe(true);
    expect(() => deriveDisplayParams(source({ photometric: 'RGB', pixels: new Uint8Array(6) }))).toThrow(/Photometric Interpretation RGB has no grayscale display pipeline/);
  });

  it('no window: min–max; an unusable window or VOI LUT falls back with a warning', () => {
    expect(deriveDisplayParams(ct()).voi).toEqual({ kind: 'min-max' });
    const bad = deriveDisplayParams(ct([], { center: [40], width: [0] }));
    expect(bad.voi).toEqual({ kind: 'min-max' });
    expect(bad.warnings).toEqual(['Window Center 40 / Width 0 (LINEAR) is not a valid window; min–max used']);
    const badLut = deriveDisplayParams(ct([sequenceElement(tag(0x0028, 0x3010), [[numberElement(tag(0x0028, 0x3002), 'US', 4, 0, 16)]])], { center: [40], width: [80] }));
    expect(badLut.voi).toMatchObject({ kind: 'window', center: 40 });
    expect(badLut.warnings[0]).toMatch(/LUT Data \(0028,3006\) is missing; the VOI LUT is ignored/);
  });

  it('enhanced multi-frame: the frame’s functional groups, then the shared ones', () => {
    const pixelValue = (intercept: number) => sequenceElement(tag(0x0028, 0x9145), [[textElement(tag(0x0028, 0x1052), 'DS', String(intercept)), textElement(tag(0x0028, 0x1053), 'DS', '2')]]);
    const frameVoi = (center: number) => sequenceElement(tag(0x0028, 0x9132), [[textElement(tag(0x0028, 0x1050), 'DS', String(center)), textElement(tag(0x0028, 0x1051), 'DS', '100')]]);
    const tags = source({
      modality: 'CT',
      extra: [
        sequenceElement(tag(0x5200, 0x9229), [[pixelValue(-1024)]]),
        sequenceElement(tag(0x5200, 0x9230), [[frameVoi(10)], [frameVoi(20), pixelValue(-1000)]]),
      ],
    });
    expect(deriveDisplayParams(tags, { frame: 0 })).toMatchObject({ modality: { slope: 2, intercept: -1024 }, voi: { center: 10 } });
    expect(deriveDisplayParams(tags, { frame: 1 })).toMatchObject({ modality: { slope: 2, intercept: -1000 }, voi: { center: 20 } });
  });
});
