import { createOrtWebRuntime, type OnnxExecutionProvider, type OnnxRuntime } from '@cvf/core';
// The bundled onnxruntime-web build loads this WebAssembly (its JSEP build: WebGPU and wasm providers).
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';

/** The providers ONNX Runtime really ran each session on, in the order the sessions were created. */
export type ProviderLog = OnnxExecutionProvider[];

/**
 * onnxruntime-web, imported when the first model loads (it is large), wrapped so the page can say
 * which execution provider each session of the bundle really got (core asks for webgpu then wasm
 * for embedders, wasm for a small head; a session reports the one that loaded it).
 */
export async function loadOnnxRuntime(providers: ProviderLog): Promise<OnnxRuntime> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.wasmPaths = { wasm: ortWasmUrl };
  const runtime = createOrtWebRuntime(ort);
  return {
    name: runtime.name,
    version: runtime.version,
    async createSession(model, options) {
      const session = await runtime.createSession(model, options);
      providers.push(session.executionProvider);
      return session;
    },
  };
}
