// @cvf/medical Node-only adapters (file system access).
export { readDicomFile } from './read-dicom-file.js';
export { AuditLog, auditPaths, readAuditLog, verifyAuditLog, type AuditPaths } from './audit-log.js';
export { deidPath, type DeidPathOptions, type DeidPathReport, type DeidWritten } from './deid-folder.js';
export { readOrCreateDeidKey, type DeidKey } from './deid-secret-files.js';
// A real Orthanc for tests of DICOMweb clients (the studio's proxy among them).
export { orthancUnavailable, startOrthanc, type OrthancServer } from './testing/orthanc.js';
