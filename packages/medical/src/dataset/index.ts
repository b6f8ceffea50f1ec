import type { DatasetSourceOpener, DataSource, UnlabelledSource, UnlabelledSourceOpener } from '@cvf/core';
import { openDicomFolderDataset, openUnlabelledDicomFolder, type DicomDatasetOptions } from './dicom-folder-dataset.js';
import { openDicomwebDataset, type DicomwebDatasetOptions } from './dicomweb-dataset.js';

export { dicomCine, type CineFrame, type DicomCine } from './dicom-cine.js';
export { decodeDicomFile, dicomInputDecoder } from './dicom-input-decoder.js';
export { dicomSampleImage, dicomSampleInput, type DicomImageOptions, type WindowConfig } from './dicom-sample-image.js';
export { openDicomFolderDataset, openUnlabelledDicomFolder, type DicomDatasetOptions, type DicomFolderDataset, type DicomFolderSource, type SkippedFile, type UnlabelledDicomFolderSource } from './dicom-folder-dataset.js';
export { openDicomwebDataset, searchAllInstances, type DicomwebDatasetOptions, type DicomwebSource } from './dicomweb-dataset.js';
export { labelOf, readLabelTable, type InstanceKeys, type LabelKey, type LabelsConfig, type LabelTable } from './labels-csv.js';

/**
 * The readers of the DICOM source kinds, for `openDataset(config.data, { ..., openers })` of
 * @cvf/core: `dicom-folder` and `dicomweb`. In Node pass `env: process.env` for `tokenEnv`, and
 * `window: config.preprocess.window` so DICOM samples are windowed as the pipeline says.
 */
export function dicomDatasetOpeners(options: DicomwebDatasetOptions & DicomDatasetOptions = {}): Record<'dicom-folder' | 'dicomweb', DatasetSourceOpener> {
  return {
    'dicom-folder': (source, context) => openDicomFolderDataset(source as Extract<DataSource, { kind: 'dicom-folder' }>, context, options),
    dicomweb: (source, context) => openDicomwebDataset(source as Extract<DataSource, { kind: 'dicomweb' }>, context, options),
  };
}

/** The reader of `data.unlabelled` of kind dicom-folder, for `OpenDatasetOptions.unlabelledOpeners`. */
export function dicomUnlabelledOpeners(options: DicomDatasetOptions = {}): Record<'dicom-folder', UnlabelledSourceOpener> {
  return { 'dicom-folder': (source, context) => openUnlabelledDicomFolder(source as Extract<UnlabelledSource, { kind: 'dicom-folder' }>, context, options) };
}
