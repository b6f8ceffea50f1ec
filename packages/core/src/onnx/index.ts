export * from './graph-builder.js';
export * from './feed-buffer-pool.js';
export * from './onnx-tensor.js';
export { createOrtRuntime, type OrtModule } from './ort-runtime.js';
export { createOrtWebRuntime, type OrtWebOptions } from './ort-web.js';
export { probeRuntime, type RuntimeProbe } from './probe-runtime.js';
export * from './session.js';
export { withSessionDefaults, type SessionDefaults } from './session-defaults.js';
