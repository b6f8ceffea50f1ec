import type { DatasetSourceOpener, DataSource } from '@cvf/core';
import { openDicomFolderDataset, type DicomDatasetOptions } from './dicom-folder-dataset.js';
import { openDicomwebDataset, type DicomwebDatasetOptions } from './dicomweb-dataset.js';

export { dicomSampleImage, type DicomImageOptions, type WindowConfig } from './dicom-sample-image.js';
export { openDicomFolderDataset, type DicomDatasetOptions, type DicomFolderDataset, type DicomFolderSource, type SkippedFile } from './dicom-folder-dataset.js';
export { openDicomwebDataset, type DicomwebDatasetOptions, type DicomwebSource } from './dicomweb-dataset.js';
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
