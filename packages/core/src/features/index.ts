export { componentKind, decodeComponentState, encodeComponentState, type ComponentHeader } from './component-state.js';
export { embeddingMap, type EmbeddingMap } from './embedding-map.js';
export { FEATURE_EXTRACTOR_KINDS, type FeatureExtractor, type FeatureExtractorKind } from './feature-extractor.js';
export * from './hog/index.js';
export { loadFeatureExtractor } from './load-feature-extractor.js';
export * from './onnx/index.js';
export * from './orb/index.js';
export * from './pca/index.js';
export * from './pixels/index.js';
