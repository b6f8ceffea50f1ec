// @cvf/medical Node-only adapters (file system access).
export { readDicomFile } from './read-dicom-file.js';
