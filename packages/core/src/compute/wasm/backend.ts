import { ModuleBuilder } from './wasm-encoder.js';

/**
 * Which code runs the emitted kernels: 'wasm-simd', WebAssembly modules with fixed-width SIMD
 * generated at run time, or 'reference', plain TypeScript loops over the same memory that give
 * the same bits (the oracle of the SIMD code, and the path where the engine lacks SIMD).
 */
export type KernelBackend = 'wasm-simd' | 'reference';
export const KERNEL_BACKENDS: readonly KernelBackend[] = ['wasm-simd', 'reference'];

let simdSupport: boolean | undefined;

/** A module that uses late additions to the SIMD instruction set (dot_i16x8_s, any_true). */
function probeModule(): Uint8Array {
  const module = new ModuleBuilder();
  const code = module.addFunction('probe', ['i32'], ['i32']);
  code.localGet(0).simdMem('v128.load').localGet(0).simdMem('v128.load').simd('i32x4.dot_i16x8_s').simd('f32x4.convert_i32x4_s').simd('v128.any_true');
  return module.encode();
}

/** Whether this engine runs WebAssembly SIMD (every current browser and Node ≥ 16 do). */
export function wasmSimdSupported(): boolean {
  if (simdSupport === undefined) {
    try {
      simdSupport = typeof WebAssembly === 'object' && WebAssembly.validate(probeModule() as Uint8Array<ArrayBuffer>);
    } catch {
      simdSupport = false;
    }
  }
  return simdSupport;
}

/** The backend asked for, or by default 'wasm-simd' where the engine has SIMD and 'reference' elsewhere. */
export function chooseKernelBackend(backend?: KernelBackend): KernelBackend {
  return backend ?? (wasmSimdSupported() ? 'wasm-simd' : 'reference');
}

/** The backends this engine can run, SIMD first. */
export function availableKernelBackends(): KernelBackend[] {
  return KERNEL_BACKENDS.filter((backend) => backend === 'reference' || wasmSimdSupported());
}
