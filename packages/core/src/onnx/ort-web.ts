import type * as OrtWeb from 'onnxruntime-web';
import { createOrtRuntime } from './ort-runtime.js';
import type { OnnxRuntime } from './session.js';

export interface OrtWebOptions {
  /** Where the browser fetches ORT's .wasm/.mjs files (e.g. '/ort/'), when the bundler does not serve them next to the script. */
  wasmPaths?: string;
}

/**
 * The browser's ONNX runtime. The app imports onnxruntime-web itself and passes the module in, so
 * core has no run-time dependency on it (and Node code never loads it). Providers: webgpu, wasm.
 */
export function createOrtWebRuntime(ort: typeof OrtWeb, options: OrtWebOptions = {}): OnnxRuntime {
  if (options.wasmPaths !== undefined) ort.env.wasm.wasmPaths = options.wasmPaths;
  return createOrtRuntime(ort, 'onnxruntime-web');
}
