// @cvf/medical: DICOM parsing and decoding, the display pipeline, writing, de-identification,
// DICOMweb, and results back to the PACS (SR, saliency captures). Isomorphic; Node-only file
// access is under @cvf/medical/node.
export * from './audit/index.js';
export * from './deid/index.js';
export * from './demo/index.js';
export * from './dicom/index.js';
export * from './dataset/index.js';
export * from './dicomweb/index.js';
export * from './display/index.js';
export * from './evaluation/index.js';
export * from './inspect/index.js';
export * from './report/index.js';
export * from './writer/index.js';
