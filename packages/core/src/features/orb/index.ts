export { BRIEF_PATTERN, DESCRIPTOR_BITS, DESCRIPTOR_WORDS, hamming } from './brief.js';
export { grayImage, type GrayImage } from './gray-image.js';
export type { Keypoint } from './keypoints.js';
export { orbFeaturesOnDevice } from './orb-device-features.js';
export { orbFeatures, type OrbFeatures, type OrbKeypoint, type OrbOptions } from './orb-features.js';
export { OrbExtractor, type OrbExtractorOptions } from './orb-extractor.js';
