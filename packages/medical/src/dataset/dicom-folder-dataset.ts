import { CvfError, DatasetError, joinPath, resolvePath, type Dataset, type DatasetContext, type DataSource, type Sample } from '@cvf/core';
import type { DicomFile } from '../dicom/dicom-file.js';
import { parseDicom } from '../dicom/parse-dicom.js';
import { Tag } from '../dicom/tags.js';
import { dicomSampleImage, type DicomImageOptions } from './dicom-sample-image.js';
import { labelOf, readLabelTable } from './labels-csv.js';

export type DicomFolderSource = Extract<DataSource, { kind: 'dicom-folder' }>;

export interface DicomDatasetOptions extends DicomImageOptions {
  /** Turns a parsed file into the sample's image; default `dicomSampleImage` with `device` and `window`. */
  readonly toImage?: (file: DicomFile) => Promise<ImageOf>;
}
type ImageOf = Awaited<ReturnType<typeof dicomSampleImage>>;

/** A file of the folder left out of the dataset, and why. */
export interface SkippedFile {
  readonly path: string;
  readonly reason: 'not-dicom' | 'no-pixel-data' | 'modality' | 'unlabelled';
}

export interface DicomFolderDataset extends Dataset {
  readonly skipped: readonly SkippedFile[];
}

function imageLoader(options: DicomDatasetOptions): (file: DicomFile) => Promise<ImageOf> {
  return options.toImage ?? ((file) => dicomSampleImage(file, options));
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
  const modalities = source.modality === undefined ? undefined : new Set(source.modality);
  const toImage = imageLoader(options);
  const samples: Sample[] = [];
  const skipped: SkippedFile[] = [];
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
    const studyUID = file.string(Tag.StudyInstanceUID);
    const label = labelOf(table, { sopInstanceUID, seriesInstanceUID: file.string(Tag.SeriesInstanceUID), studyInstanceUID: studyUID, path });
    if (label === undefined) {
      skipped.push({ path: relative, reason: 'unlabelled' });
      continue;
    }
    const earlier = paths.get(sopInstanceUID);
    if (earlier !== undefined) throw new DatasetError('DATASET_MALFORMED', `${root}: SOPInstanceUID ${sopInstanceUID} is in two files, ${earlier} and ${relative}`);
    paths.set(sopInstanceUID, relative);
    const patientId = file.string(Tag.PatientID);
    samples.push({
      id: sopInstanceUID,
      label,
      ...(patientId !== undefined && { patientId }),
      ...(studyUID !== undefined && { studyUID }),
      load: async () => toImage(parseDicom(await files.readFile(path))),
    });
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
