export { defaultEmbedderProviders, OnnxEmbedder, type OnnxEmbedderContext, type OnnxEmbedderOptions } from './onnx-embedder.js';
