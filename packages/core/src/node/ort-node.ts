import { OnnxError } from '../errors.js';
import { createOrtRuntime } from '../onnx/ort-runtime.js';
import { probeRuntime, type RuntimeProbe } from '../onnx/probe-runtime.js';
import type { OnnxExecutionProvider, OnnxRuntime } from '../onnx/session.js';
import { ensureXdgRuntimeDir } from './xdg-runtime-dir.js';

/** Providers the linux-x64 onnxruntime-node build has: `cpu`, and `webgpu` on Dawn (Vulkan). */
export const ORT_NODE_EXECUTION_PROVIDERS: readonly OnnxExecutionProvider[] = ['cpu', 'webgpu'];

let runtime: Promise<OnnxRuntime> | undefined;

/**
 * ONNX Runtime for Node (onnxruntime-node). Loaded on first use with a dynamic import, so a
 * missing or broken native binary is an OnnxError('ONNX_LOAD_FAILED') that says so, not a crash
 * at import time of @cvf/core/node. The module is loaded once per process.
 */
export function createOrtNodeRuntime(): Promise<OnnxRuntime> {
  runtime ??= loadOrtNode().catch((error: unknown) => {
    runtime = undefined; // let a later call try again
    throw error;
  });
  return runtime;
}

async function loadOrtNode(): Promise<OnnxRuntime> {
  ensureXdgRuntimeDir();
  let ort: typeof import('onnxruntime-node');
  try {
    ort = await import('onnxruntime-node');
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new OnnxError('ONNX_LOAD_FAILED', `onnxruntime-node could not be loaded (is it installed for ${process.platform}-${process.arch}?): ${reason}`, { cause });
  }
  return createOrtRuntime(ort, 'onnxruntime-node');
}

/**
 * Which providers of onnxruntime-node really work on this machine: each one runs a tiny graph on
 * its own and is listed only if the numbers are right (`cvf doctor` reports this).
 */
export async function probeExecutionProviders(): Promise<RuntimeProbe> {
  return probeRuntime(await createOrtNodeRuntime(), ORT_NODE_EXECUTION_PROVIDERS);
}
