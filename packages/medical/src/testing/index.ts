// @cvf/medical/testing: DICOM fixtures for the tests and benchmarks of every package (isomorphic).
// Not for production code.
export { buildPart10, imagePixelElements, type TestElement, type TestFileOptions, type TestValue } from '../dicom/testing/part10-builder.js';
