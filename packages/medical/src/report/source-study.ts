import { DicomWriteError } from '@cvf/core';
import type { DicomDataSet } from '../dicom/dicom-dataset.js';
import { Tag } from '../dicom/tags.js';
import { deidentifyDataset, type DeidOptions } from '../deid/deidentify.js';
import { UidRemapper } from '../deid/uid-remapper.js';
import { textElement, type Dataset } from '../writer/data-element.js';
import { formatTag, tag } from '../writer/dicom-tag.js';
import type { Vr } from '../writer/value-representation.js';

/** The image a result is about: what an SR references and a derived image names as its source. */
export interface SourceImageReference {
  readonly studyInstanceUID: string;
  readonly seriesInstanceUID: string;
  readonly sopClassUID: string;
  readonly sopInstanceUID: string;
  /** The frame a result is about, in a multi-frame image (1-based; the model reads the first). */
  readonly frame?: number;
}

/** What a result object copies from its source: the Patient and General Study modules, and the image reference. */
export interface SourceStudy {
  readonly reference: SourceImageReference;
  /** Patient and General Study attributes as writer elements, text decoded (written as UTF-8 under ISO_IR 192 when not ASCII). */
  readonly patientStudy: Dataset;
}

/**
 * The text attributes of the Patient module (PS3.3 C.7.1.1) and the General Study module
 * (C.7.2.1) a result copies, with their VRs. Patient Identity Removed and the De-identification
 * Method are copied too, so a result of a de-identified image says it is de-identified.
 */
const PATIENT_STUDY_ATTRIBUTES: readonly (readonly [number, Vr])[] = [
  [tag(0x0008, 0x0020), 'DA'], // Study Date
  [tag(0x0008, 0x0030), 'TM'], // Study Time
  [tag(0x0008, 0x0050), 'SH'], // Accession Number
  [tag(0x0008, 0x0090), 'PN'], // Referring Physician's Name
  [tag(0x0008, 0x1030), 'LO'], // Study Description
  [tag(0x0010, 0x0010), 'PN'], // Patient's Name
  [tag(0x0010, 0x0020), 'LO'], // Patient ID
  [tag(0x0010, 0x0021), 'LO'], // Issuer of Patient ID
  [tag(0x0010, 0x0030), 'DA'], // Patient's Birth Date
  [tag(0x0010, 0x0040), 'CS'], // Patient's Sex
  [tag(0x0010, 0x1010), 'AS'], // Patient's Age
  [tag(0x0010, 0x1020), 'DS'], // Patient's Size
  [tag(0x0010, 0x1030), 'DS'], // Patient's Weight
  [tag(0x0010, 0x2201), 'LO'], // Patient Species Description
  [tag(0x0012, 0x0062), 'CS'], // Patient Identity Removed
  [tag(0x0012, 0x0063), 'LO'], // De-identification Method
  [tag(0x0020, 0x000d), 'UI'], // Study Instance UID
  [tag(0x0020, 0x0010), 'SH'], // Study ID
];

/** Type 2 attributes of the two modules: present, empty when the source has no value. */
const TYPE_2 = new Set([0x00080020, 0x00080030, 0x00080050, 0x00080090, 0x00100010, 0x00100020, 0x00100030, 0x00100040, 0x00200010]);

function hex(t: number): string {
  return t.toString(16).toUpperCase().padStart(8, '0');
}

function requiredUid(source: DicomDataSet, name: keyof typeof Tag): string {
  const uid = source.string(Tag[name]);
  if (!uid) throw new DicomWriteError(`the source image has no ${name} (${formatTag(parseInt(Tag[name], 16))}); a result object must reference its source by UID`);
  return uid;
}

/** The Patient and General Study modules and the image reference of a parsed source image. */
export function readSourceStudy(source: DicomDataSet): SourceStudy {
  const reference = {
    studyInstanceUID: requiredUid(source, 'StudyInstanceUID'),
    seriesInstanceUID: requiredUid(source, 'SeriesInstanceUID'),
    sopClassUID: requiredUid(source, 'SOPClassUID'),
    sopInstanceUID: requiredUid(source, 'SOPInstanceUID'),
    // Predictions read a multi-frame image's first frame.
    ...((source.number(Tag.NumberOfFrames) ?? 1) > 1 && { frame: 1 }),
  };
  const patientStudy: Dataset = PATIENT_STUDY_ATTRIBUTES.flatMap(([t, vr]) => {
    // Decoded with the source's character set, written back as UTF-8: the result's own text (labels, model names) may need it.
    const values = source.strings(hex(t));
    if (values.length === 0 || values.every((v) => v === '')) return TYPE_2.has(t) ? [textElement(t, vr)] : [];
    return [textElement(t, vr, ...values)];
  });
  return { reference, patientStudy };
}

/**
 * The source study de-identified with the Basic Application Level Confidentiality Profile: the
 * patient/study attributes through `deidentifyDataset`, and the referenced UIDs through the same
 * UID remapper, so a result points at the de-identified copy of its source made with the same
 * secret (e.g. by `cvf dicom deid`).
 */
export async function deidentifySourceStudy(source: SourceStudy, options: DeidOptions = {}): Promise<SourceStudy> {
  const secret = options.secret ?? globalThis.crypto.getRandomValues(new Uint8Array(32));
  const remapper = options.remapper ?? (await UidRemapper.create(secret));
  const { dataset } = await deidentifyDataset(source.patientStudy, { ...options, secret, remapper });
  const { reference } = source;
  return {
    reference: {
      studyInstanceUID: await remapper.remap(reference.studyInstanceUID),
      seriesInstanceUID: await remapper.remap(reference.seriesInstanceUID),
      sopClassUID: reference.sopClassUID,
      sopInstanceUID: await remapper.remap(reference.sopInstanceUID),
      ...(reference.frame !== undefined && { frame: reference.frame }),
    },
    patientStudy: dataset,
  };
}

