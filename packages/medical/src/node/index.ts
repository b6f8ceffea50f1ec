// @cvf/medical Node-only adapters (file system access).
export { readDicomFile } from './read-dicom-file.js';
export { deidPath, type DeidPathOptions, type DeidPathReport, type DeidWritten } from './deid-folder.js';
