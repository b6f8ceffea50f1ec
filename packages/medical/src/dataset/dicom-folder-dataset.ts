import { CvfError, DatasetError, joinPath, resolvePath, type Dataset, type DatasetContext, type DataSource, type Sample, type UnlabelledSource } from '@cvf/core';
import type { DicomFile } from '../dicom/dicom-file.js';
import { parseDicom } from '../dicom/parse-dicom.js';
import { Tag } from '../dicom/tags.js';
import { dicomSampleInput, type DicomImageOptions } from './dicom-sample-image.js';
import { labelOf, readLabelTable } from './labels-csv.js';

export type DicomFolderSource = Extract<DataSource, { kind: 'dicom-folder' }>;

export interface DicomDatasetOptions extends DicomImageOptions {
  /** Turns a parsed file into the sample's image; default `dicomSampleInput` with `device` and `window`. */
  readonly toImage?: (file: DicomFile) => Promise<ImageOf>;
}
type ImageOf = Awaited<ReturnType<typeof dicomSampleInput>>;

/** A file of the folder left out of the dataset, and why. */
export interface SkippedFile {
  readonly path: string;
  readonly reason: 'not-dicom' | 'no-pixel-data' | 'modality' | 'unlabelled';
}

export interface DicomFolderDataset extends Dataset {
  readonly skipped: readonly SkippedFile[];
}

function imageLoader(options: DicomDatasetOptions): (file: DicomFile) => Promise<ImageOf> {
  return options.toImage ?? ((file) => dicomSampleInput(file, options));
}

/**
 * DICOM files in a folder tree, labelled by a CSV keyed by SOPInstanceUID, SeriesInstanceUID,
 * StudyInstanceUID or file path (relative to `root`). Every file is parsed once here (metadata
 * only; pixels are decoded by `load`). One sample per labelled instance with pixel data (its first
 * frame), id = SOPInstanceUID, with the PatientID and StudyInstanceUID of the file for group-aware
 * splits. Non-DICOM files, files without pixel data, other modalities and unlabelled instances are
 * left out (listed in `skipped`); a corrupt DICOM file is an error naming it.
 */
export async function openDicomFolderDataset(source: DicomFolderSource, context: DatasetContext, options: DicomDatasetOptions = {}): Promise<DicomFolderDataset> {
  const { files, baseDir } = context;
  const root = resolvePath(baseDir, source.root);
  const table = await readLabelTable(source.labels, {
    files,
    baseDir,
    normalizeKey: source.labels.key === 'path' ? (key) => joinPath(resolvePath(root, key)) : undefined,
  });
  const samples: Sample[] = [];
  const skipped: SkippedFile[] = [];
  for (const instance of await scanDicomFolder(root, files, source.modality, skipped)) {
    const { file, path, relative, sopInstanceUID, studyUID } = instance;
    const label = labelOf(table, { sopInstanceUID, seriesInstanceUID: file.string(Tag.SeriesInstanceUID), studyInstanceUID: studyUID, path });
    if (label === undefined) {
      skipped.push({ path: relative, reason: 'unlabelled' });
      continue;
    }
    samples.push(instanceSample(instance, label, files, options));
  }
  if (samples.length === 0) {
    const counts = skipped.reduce<Record<string, number>>((n, s) => ({ ...n, [s.reason]: (n[s.reason] ?? 0) + 1 }), {});
    throw new DatasetError(
      'DATASET_EMPTY',
      `${root}: no labelled DICOM image (files left out: ${JSON.stringify(counts)}; ${table.labels.size} labels in ${table.path} keyed by ${table.key})`,
    );
  }
  return { description: `dicom-folder ${root}`, samples, skipped };
}

/**
 * The images of a DICOM folder tree without labels (`data.unlabelled` of kind dicom-folder), for
 * pseudo-labelling: the same files as a labelled dicom-folder source would take, each with label ''.
 */
export async function openUnlabelledDicomFolder(source: UnlabelledDicomFolderSource, context: DatasetContext, options: DicomDatasetOptions = {}): Promise<Sample[]> {
  const root = resolvePath(context.baseDir, source.root);
  return (await scanDicomFolder(root, context.files, source.modality, [])).map((instance) => instanceSample(instance, '', context.files, options));
}

export type UnlabelledDicomFolderSource = Extract<UnlabelledSource, { kind: 'dicom-folder' }>;

/** A DICOM instance with pixel data found in a folder tree (its metadata parsed; pixels not decoded). */
interface DicomInstance {
  readonly file: DicomFile;
  readonly path: string;
  readonly relative: string;
  readonly sopInstanceUID: string;
  readonly studyUID: string | undefined;
}

/**
 * Every DICOM instance with pixel data under `root` (of the given modalities), each parsed once.
 * Non-DICOM files, files without pixel data and other modalities go to `skipped`; a corrupt DICOM
 * file, a missing SOPInstanceUID or one UID in two files is an error naming them.
 */
async function scanDicomFolder(root: string, files: DatasetContext['files'], modality: readonly string[] | undefined, skipped: SkippedFile[]): Promise<DicomInstance[]> {
  const modalities = modality === undefined ? undefined : new Set(modality);
  const instances: DicomInstance[] = [];
  const paths = new Map<string, string>();
  for (const relative of await files.listFiles(root)) {
    const path = joinPath(root, relative);
    let file: DicomFile;
    try {
      file = parseDicom(await files.readFile(path));
    } catch (error) {
      if ((error as CvfError).code === 'DICOM_NOT_DICOM') {
        skipped.push({ path: relative, reason: 'not-dicom' });
        continue;
      }
      throw new DatasetError('DATASET_MALFORMED', `${path}: ${(error as Error).message}`, { cause: error });
    }
    if (!file.has(Tag.PixelData) && !file.has(Tag.FloatPixelData) && !file.has(Tag.DoubleFloatPixelData)) {
      skipped.push({ path: relative, reason: 'no-pixel-data' });
      continue;
    }
    if (modalities && !modalities.has(file.string(Tag.Modality) ?? '')) {
      skipped.push({ path: relative, reason: 'modality' });
      continue;
    }
    const sopInstanceUID = file.string(Tag.SOPInstanceUID);
    if (sopInstanceUID === undefined) throw new DatasetError('DATASET_MALFORMED', `${path}: no SOPInstanceUID (0008,0018)`);
    const earlier = paths.get(sopInstanceUID);
    if (earlier !== undefined) throw new DatasetError('DATASET_MALFORMED', `${root}: SOPInstanceUID ${sopInstanceUID} is in two files, ${earlier} and ${relative}`);
    paths.set(sopInstanceUID, relative);
    instances.push({ file, path, relative, sopInstanceUID, studyUID: file.string(Tag.StudyInstanceUID) });
  }
  return instances;
}

/** One sample per instance (its first frame), id = SOPInstanceUID, with its patient and study for group-aware splits. */
function instanceSample({ file, path, sopInstanceUID, studyUID }: DicomInstance, label: string, files: DatasetContext['files'], options: DicomDatasetOptions): Sample {
  const toImage = imageLoader(options);
  const patientId = file.string(Tag.PatientID);
  return {
    id: sopInstanceUID,
    label,
    ...(patientId !== undefined && { patientId }),
    ...(studyUID !== undefined && { studyUID }),
    load: async () => toImage(parseDicom(await files.readFile(path))),
  };
}
