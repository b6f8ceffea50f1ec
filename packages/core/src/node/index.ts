// Node-only adapters of @cvf/core: Dawn WebGPU, onnxruntime-node, files, diagnostics.
export { readBundleFolder, writeBundleFolder } from './bundle-folder.js';
export { diagnose, type DoctorReport } from './doctor.js';
export { createOrtNodeRuntime, probeExecutionProviders, ORT_NODE_EXECUTION_PROVIDERS } from './ort-node.js';
export { loadPipelineConfigFile } from './config-file.js';
export { SqliteTrackingStore } from './tracking/index.js';
export { createNodeDevice, nodeGpu } from './webgpu.js';
