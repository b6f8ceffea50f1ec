export * from './errors.js';
export * from './compute/index.js';
export * from './config/index.js';
export * from './onnx/index.js';
export * from './pipeline/index.js';
export * from './tracking/index.js';
