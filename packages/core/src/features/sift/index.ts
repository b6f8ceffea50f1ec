export { SiftExtractor, type SiftExtractorOptions } from './sift-extractor.js';
export { siftFeatures, type SiftFeatures, type SiftKeypoint } from './sift-features.js';
export { SIFT_DEFAULTS, SIFT_DESCRIPTOR_LENGTH, type SiftOptions } from './sift-options.js';
