// `cvf dicom inspect` for every object: tag dumps, identity fields, objects without pixels, files without a preamble.
export { readDicomIdentity, summarizeDicomObject, type DicomIdentity, type DicomObjectSummary } from './object-summary.js';
export { parseDicomForced, type ForcedDicomFile } from './parse-forced.js';
export { sopClassName } from './sop-classes.js';
export { dumpTags, formatTagDump, type TagDumpEntry, type TagDumpOptions } from './tag-dump.js';
export { tagKeyword, tagOfKeyword, tagVr } from './tag-names.js';
