import { LinearMemory } from './linear-memory.js';
import { createReferenceKernels } from './simd/reference-kernels.js';
import { boundStages, instantiateSearchKernels, wasmSimdSupported, type SearchKernelExports } from './simd/search-kernels.js';

/** Which scan code an index runs: the WebAssembly SIMD kernels, or the plain TypeScript reference loops. */
export type KernelBackend = 'wasm-simd' | 'reference';

export interface KernelSet {
  readonly backend: KernelBackend;
  readonly memory: LinearMemory;
  readonly kernels: SearchKernelExports;
  /** Prefix lengths at which the bounded f32 scan checks its bound (ascending, below dim; may be empty). */
  readonly stages: readonly number[];
}

/**
 * Creates an index's linear memory and its kernels over it. `insert` is the host side of the
 * scans (see search-kernels.ts); the index routes it to its current collector.
 * `backend` defaults to SIMD where the engine has it.
 */
export async function createKernelSet(dim: number, insert: (query: number, panel: number) => number, backend?: KernelBackend): Promise<KernelSet> {
  const chosen: KernelBackend = backend ?? (wasmSimdSupported() ? 'wasm-simd' : 'reference');
  const stages = boundStages(dim);
  const memory = new LinearMemory(chosen === 'wasm-simd');
  const kernels = chosen === 'wasm-simd' ? await instantiateSearchKernels(dim, memory.wasm!, insert, stages) : createReferenceKernels(dim, () => memory.buffer, insert);
  return { backend: chosen, memory, kernels, stages };
}
