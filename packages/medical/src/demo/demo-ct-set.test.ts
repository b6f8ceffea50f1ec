import { Rng } from '@cvf/core';
import { pythonModules, requireInCi, SYSTEM_PYTHON } from '@cvf/core/testing';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFrames } from '../dicom/decode-frames.js';
import { readRescale, readWindows } from '../dicom/image-metadata.js';
import { parseDicom } from '../dicom/parse-dicom.js';
import { Tag } from '../dicom/tags.js';
import { HU, randomChest, randomLesion, renderChestSlice } from './chest-phantom.js';
import { makeDemoCtSet } from './demo-ct-set.js';

const pydicomMissing = requireInCi("Debian's pydicom", pythonModules('pydicom', 'numpy'));

describe('makeDemoCtSet', () => {
  const set = makeDemoCtSet({ patients: 4, slices: 8, size: 64, seed: 3 });

  it('writes one CT series of HU-rescaled slices per made-up patient, labelled by the lesions they cut', async () => {
    expect(set.files).toHaveLength(32);
    expect(set.counts).toEqual({ patients: 4, series: 4, images: 32, normal: set.counts.normal, abnormal: set.counts.abnormal });
    expect(set.counts.abnormal).toBeGreaterThan(0);
    expect(set.counts.normal).toBeGreaterThan(0);
    const labels = new Map(set.labelsCsv.trim().split('\n').slice(1).map((row) => row.split(',') as [string, string]));
    expect(set.labelsCsv.split('\n')[0]).toBe('sopInstanceUID,label');
    expect(new Set(labels.values())).toEqual(new Set(['normal', 'abnormal']));

    const patients = new Set<string>();
    const series = new Set<string>();
    for (const { path, bytes } of set.files) {
      const file = parseDicom(bytes);
      expect(path).toMatch(/^dicom\/CVFDEMO-\d{3}\/series-1\/slice-\d{3}\.dcm$/);
      expect(file.string(Tag.SOPClassUID)).toBe('1.2.840.10008.5.1.4.1.1.2');
      expect(file.string(Tag.Modality)).toBe('CT');
      expect(file.string(Tag.PatientID)).toBe(path.split('/')[1]);
      expect(file.string(Tag.PatientName)).toMatch(/^DEMO\^/);
      patients.add(file.string(Tag.PatientID)!);
      series.add(file.string(Tag.SeriesInstanceUID)!);
      expect(readRescale(file)).toEqual({ slope: 1, intercept: -1024 });
      expect(readWindows(file).map(({ center, width }) => [center, width])).toEqual([[-600, 1500], [40, 400]]);
      const image = await decodeFrames(file);
      expect(image.pixelRepresentation).toBe(1);
      const hu = Array.from(image.data[0]!, (v) => v - 1024);
      // The corner is air; the centre row crosses both lungs; no value leaves the CT range.
      expect(Math.abs(hu[0]! - HU.air)).toBeLessThan(60);
      const centre = hu.slice(32 * 64, 33 * 64);
      expect(centre.filter((v) => Math.abs(v - HU.lung) < 60).length).toBeGreaterThan(8);
      expect(Math.min(...hu)).toBeGreaterThanOrEqual(-1024);
      expect(labels.get(file.string(Tag.SOPInstanceUID)!)).toBeDefined();
    }
    expect(patients.size).toBe(4);
    expect(series.size).toBe(4);
  });

  it('draws a lesion as a round hyperdense disc in the lung, where the plane cuts it', () => {
    const anatomy = randomChest(new Rng(5), 80);
    const lesion = randomLesion(new Rng(6), anatomy, 40, 15);
    const geometry = { size: 96, spacing: 380 / 96, z: 40, level: 0.55 };
    const without = renderChestSlice(anatomy, [], geometry, new Rng(9));
    const withLesion = renderChestSlice(anatomy, [lesion], geometry, new Rng(9));
    const changed: number[] = [];
    withLesion.forEach((v, i) => v !== without[i] && changed.push(i));
    // A 15 mm disc at ~4 mm per pixel: about π·(15/3.96)² ≈ 45 pixels, plus a partial-volume rim.
    expect(changed.length).toBeGreaterThan(35);
    expect(changed.length).toBeLessThan(80);
    const half = (96 - 1) / 2;
    for (const i of changed) {
      const x = ((i % 96) - half) * geometry.spacing;
      const y = (Math.floor(i / 96) - half) * geometry.spacing;
      expect(Math.hypot(x - lesion.x, y - lesion.y)).toBeLessThan(15 + geometry.spacing);
    }
    const centre = Math.round(lesion.y / geometry.spacing + half) * 96 + Math.round(lesion.x / geometry.spacing + half);
    expect(withLesion[centre]! - without[centre]!).toBeGreaterThan(700);
    // A plane that misses the sphere draws nothing of it.
    expect(renderChestSlice(anatomy, [lesion], { ...geometry, z: 60 }, new Rng(9))).toEqual(renderChestSlice(anatomy, [], { ...geometry, z: 60 }, new Rng(9)));
  });

  it('gives the same files for the same seed, and other files for another seed', () => {
    const again = makeDemoCtSet({ patients: 4, slices: 8, size: 64, seed: 3 });
    expect(again.labelsCsv).toBe(set.labelsCsv);
    expect(again.files.map((f) => f.bytes)).toEqual(set.files.map((f) => f.bytes));
    expect(makeDemoCtSet({ patients: 4, slices: 8, size: 64, seed: 4 }).labelsCsv).not.toBe(set.labelsCsv);
  });

  it('refuses counts out of range, naming the value and the range', () => {
    expect(() => makeDemoCtSet({ patients: 0 })).toThrow(expect.objectContaining({ code: 'DEMO_OPTIONS_INVALID', message: 'patients 0 must be an integer in 1..999' }));
    expect(() => makeDemoCtSet({ size: 8 })).toThrow('size 8 must be an integer in 16..1024');
  });

  it.skipIf(pydicomMissing)('writes files pydicom reads as CT with the same Hounsfield units', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvf-demo-ct-'));
    try {
      for (const { path, bytes } of set.files.slice(0, 8)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), bytes);
      }
      const script = `
import glob, json, sys, pydicom
out = []
for path in sorted(glob.glob(sys.argv[1] + '/dicom/*/series-1/*.dcm')):
    ds = pydicom.dcmread(path, force=False)
    hu = ds.pixel_array * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    out.append([ds.Modality, ds.SOPClassUID.name, [float(v) for v in ds.PixelSpacing], float(hu[0, 0]), float(hu.mean())])
print(json.dumps(out))`;
      const run = spawnSync(SYSTEM_PYTHON, ['-c', script, dir], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const rows = JSON.parse(run.stdout) as [string, string, number[], number, number][];
      expect(rows).toHaveLength(8);
      for (const [modality, sopClass, spacing, corner, mean] of rows) {
        expect(modality).toBe('CT');
        expect(sopClass).toBe('CT Image Storage');
        expect(spacing[0]).toBeCloseTo(380 / 64, 5);
        expect(Math.abs(corner - HU.air)).toBeLessThan(60);
        expect(mean).toBeLessThan(-300);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
