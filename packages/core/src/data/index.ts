export { compress, decompress, isGzip, type CompressionFormat } from './compression-streams.js';
export { parseCsv, parseCsvTable, type CsvOptions, type CsvRow, type CsvTable } from './csv.js';
export { SPLIT_NAMES, type Dataset, type DatasetContext, type LabeledSample, type OpenedDataset, type Sample, type SplitName } from './dataset.js';
export { readTextFile, type FileAccess } from './file-access.js';
export { openFolderDataset, type FolderSource } from './folder-dataset.js';
export { parseIdx, readIdx, type IdxArray, type IdxData, type IdxDType } from './idx.js';
export { openIdxDataset, readIdxImages, type IdxSource } from './idx-dataset.js';
export {
  manifestSamples,
  openCsvDataset,
  openJsonlDataset,
  parseCsvManifest,
  parseJsonlManifest,
  type CsvSource,
  type JsonlSource,
  type ManifestRecord,
} from './manifest-dataset.js';
export { openUnlabelled, type OpenUnlabelledOptions, type UnlabelledSourceOpener } from './open-unlabelled.js';
export { openDataset, type DataConfig, type DatasetSourceOpener, type OpenDatasetOptions } from './open-dataset.js';
export { dirnamePath, extensionOf, isAbsolutePath, joinPath, resolvePath } from './paths.js';
export { seededSubset, shuffleInPlace, splitSamples, type SplitOptions, type Splits } from './split-samples.js';
