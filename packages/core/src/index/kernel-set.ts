import { chooseKernelBackend, type KernelBackend } from '../compute/wasm/backend.js';
import { LinearMemory } from '../compute/wasm/linear-memory.js';
import { createReferenceKernels } from './simd/reference-kernels.js';
import { boundStages, instantiateSearchKernels, type SearchKernelExports } from './simd/search-kernels.js';

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
 * `backend` defaults to SIMD where the engine has it; `shared` puts a SIMD set's memory in a
 * SharedArrayBuffer for worker threads; `graphBlock`: an HNSW index's node block bytes (see
 * searchKernelModule).
 */
export async function createKernelSet(dim: number, insert: (query: number, panel: number) => number, backend?: KernelBackend, shared = false, graphBlock = 0): Promise<KernelSet> {
  const chosen = chooseKernelBackend(backend);
  const stages = boundStages(dim);
  const memory = new LinearMemory(chosen, shared && chosen === 'wasm-simd');
  const kernels = chosen === 'wasm-simd' ? await instantiateSearchKernels(dim, memory.wasm!, insert, stages, shared, graphBlock) : createReferenceKernels(dim, () => memory.buffer, insert);
  return { backend: chosen, memory, kernels, stages };
}
