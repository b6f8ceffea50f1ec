export { componentKind, decodeComponentState, encodeComponentState, type ComponentHeader } from './component-state.js';
export { embeddingMap, type EmbeddingMap } from './embedding-map.js';
export { FEATURE_EXTRACTOR_KINDS, type FeatureExtractor, type FeatureExtractorKind } from './feature-extractor.js';
export { HogExtractor, type HogOptions } from './hog/hog-extractor.js';
export { loadFeatureExtractor } from './load-feature-extractor.js';
export { defaultEmbedderProviders, OnnxEmbedder, type OnnxEmbedderContext, type OnnxEmbedderOptions } from './onnx/onnx-embedder.js';
export * from './pca/index.js';
export { PixelsExtractor, type PixelsOptions } from './pixels/pixels-extractor.js';
