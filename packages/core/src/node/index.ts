// Node-only adapters of @cvf/core: Dawn WebGPU, onnxruntime-node, files.
export { createNodeDevice, nodeGpu } from './webgpu.js';
