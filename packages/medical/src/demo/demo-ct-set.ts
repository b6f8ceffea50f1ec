import { CvfError, Rng } from '@cvf/core';
import { textElement } from '../writer/data-element.js';
import { tag } from '../writer/dicom-tag.js';
import { createCtImage } from '../writer/ct-image.js';
import { uidFromUuidBytes } from '../writer/uid.js';
import { writeDicom } from '../writer/write-dicom.js';
import { randomChest, randomLesion, renderChestSlice, sectionRadius, type Lesion } from './chest-phantom.js';

export interface DemoCtOptions {
  /** Patients, one CT study and one axial series each (default 10). */
  readonly patients?: number;
  /** Slices per series (default 16). */
  readonly slices?: number;
  /** Pixels per side of a slice (default 96). */
  readonly size?: number;
  /** Seed of everything random: the same seed writes the same files, UIDs included (default 7). */
  readonly seed?: number;
}

/** One file of the set, its path relative to the set's folder. */
export interface DemoFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface DemoCtSet {
  /** DICOM files under `dicom/<patient>/series-<n>/`. */
  readonly files: readonly DemoFile[];
  /** `sopInstanceUID,label` of every slice (labels `normal`, `abnormal`). */
  readonly labelsCsv: string;
  readonly counts: { readonly patients: number; readonly series: number; readonly images: number; readonly normal: number; readonly abnormal: number };
}

export const DEMO_CLASSES = ['normal', 'abnormal'] as const;

/** Field of view (mm) and slice thickness (mm) of the demo scans: an adult chest, 5 mm axial slices. */
const FIELD_OF_VIEW = 380;
const SLICE_THICKNESS = 5;
/** A slice is abnormal when it cuts a lesion at least this wide in radius (mm): about a pixel at 96². */
const VISIBLE_RADIUS = 4;
const HU_INTERCEPT = -1024;
/** Scanner makers and sites of the made-up patients, so subgroup evaluation (`cvf evaluate --by Manufacturer`) has groups to compare. */
const MANUFACTURERS = ['CVF Demo Scanners', 'Phantom Medical Systems'];
const INSTITUTIONS = ['Demo General Hospital', 'Demo University Clinic'];
const FIRST_NAMES = ['ALEX', 'SAM', 'ROBIN', 'KIM', 'JO', 'ALI', 'NOA', 'EVA', 'LEE', 'MIO', 'ARI', 'TEO'];

function checkCount(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new CvfError('DEMO_OPTIONS_INVALID', `${name} ${value} must be an integer in ${min}..${max}`);
}

/**
 * A synthetic but realistic CT set for trying the medical pipeline: `patients` adult chests (body,
 * fat, lungs, heart, spine, lung vessels, noise), one study and one axial series of `slices` 5 mm
 * slices each, stored as CT Image Storage files with signed 16-bit values and a rescale to
 * Hounsfield units (intercept -1024), lung and mediastinal windows, and made-up identities (names,
 * IDs, birth dates, two scanner makers, two sites) for trying de-identification and subgroup
 * evaluation. Two patients in three have one or two round hyperdense lesions in a lung; a slice
 * is `abnormal` when it cuts one (≥ 4 mm radius), else `normal`. Nothing is real: the set is for trying the tools, never for clinical conclusions.
 */
export function makeDemoCtSet(options: DemoCtOptions = {}): DemoCtSet {
  const { patients = 10, slices = 16, size = 96, seed = 7 } = options;
  checkCount('patients', patients, 1, 999);
  checkCount('slices', slices, 1, 512);
  checkCount('size', size, 16, 1024);
  const rng = new Rng(seed);
  const uidRng = new Rng(seed ^ 0x5eed5eed);
  const uid = () => uidFromUuidBytes(Uint8Array.from({ length: 16 }, () => uidRng.int(0, 255)), 8);
  const spacing = FIELD_OF_VIEW / size;
  const length = slices * SLICE_THICKNESS;
  const files: DemoFile[] = [];
  const rows = ['sopInstanceUID,label'];
  let abnormal = 0;
  for (let p = 0; p < patients; p++) {
    const patientId = `CVFDEMO-${String(p + 1).padStart(3, '0')}`;
    const anatomy = randomChest(rng, length);
    const lesions: Lesion[] = [];
    if (p % 3 !== 2) {
      const count = rng.next() < 0.3 ? 2 : 1;
      for (let i = 0; i < count; i++) lesions.push(randomLesion(rng, anatomy, rng.uniform(0.2, 0.8) * length, rng.uniform(10, 22)));
    }
    const study = { studyUID: uid(), seriesUID: uid(), date: `202601${String((p % 28) + 1).padStart(2, '0')}` };
    for (let s = 0; s < slices; s++) {
      const z = (s + 0.5) * SLICE_THICKNESS;
      const hu = renderChestSlice(anatomy, lesions, { size, spacing, z, level: 0.3 + (0.5 * (s + 0.5)) / slices }, rng);
      const stored = Int16Array.from(hu, (v) => Math.round(Math.min(3071, Math.max(-1024, v))) - HU_INTERCEPT);
      const sopInstanceUID = uid();
      const label = lesions.some((l) => sectionRadius(l, z) >= VISIBLE_RADIUS) ? 'abnormal' : 'normal';
      if (label === 'abnormal') abnormal++;
      const dataset = createCtImage({
        rows: size,
        columns: size,
        pixels: stored,
        rescale: { slope: 1, intercept: HU_INTERCEPT },
        window: { center: [-600, 40], width: [1500, 400] },
        pixelSpacing: [spacing, spacing],
        sliceThickness: SLICE_THICKNESS,
        position: [-FIELD_OF_VIEW / 2, -FIELD_OF_VIEW / 2, -z],
        seriesNumber: 1,
        seriesDescription: 'CHEST 5mm LUNG',
        bodyPart: 'CHEST',
        convolutionKernel: 'LUNG',
        patientId,
        patientName: `DEMO^${FIRST_NAMES[p % FIRST_NAMES.length]}${p >= FIRST_NAMES.length ? p + 1 : ''}`,
        patientBirthDate: `19${40 + ((p * 7) % 50)}0${(p % 9) + 1}15`,
        patientSex: p % 2 === 0 ? 'F' : 'M',
        studyUID: study.studyUID,
        seriesUID: study.seriesUID,
        sopInstanceUID,
        studyDate: study.date,
        studyTime: '091500',
        accessionNumber: `ACC${String(p + 1).padStart(5, '0')}`,
        studyDescription: 'CT CHEST',
        instanceNumber: s + 1,
        // Maker by pairs of patients and site by halves: neither follows the sex (by patient) one to one.
        extra: [
          textElement(tag(0x0008, 0x0070), 'LO', MANUFACTURERS[Math.floor(p / 2) % 2]!),
          textElement(tag(0x0008, 0x0080), 'LO', INSTITUTIONS[p < patients / 2 ? 0 : 1]!),
        ],
      });
      files.push({ path: `dicom/${patientId}/series-1/slice-${String(s + 1).padStart(3, '0')}.dcm`, bytes: writeDicom(dataset) });
      rows.push(`${sopInstanceUID},${label}`);
    }
  }
  const images = patients * slices;
  return { files, labelsCsv: `${rows.join('\n')}\n`, counts: { patients, series: patients, images, normal: images - abnormal, abnormal } };
}
