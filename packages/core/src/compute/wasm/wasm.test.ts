import { describe, expect, it } from 'vitest';
import { availableKernelBackends, chooseKernelBackend, KERNEL_BACKENDS, wasmSimdSupported } from './backend.js';
import { emitRowDot, rowDotLocals } from './emit-loops.js';
import { LinearMemory } from './linear-memory.js';
import { ModuleBuilder } from './wasm-encoder.js';

describe('compute/wasm', () => {
  it('names one backend vocabulary and picks SIMD by default where the engine has it (Node ≥ 16 does)', () => {
    expect(KERNEL_BACKENDS).toEqual(['wasm-simd', 'reference']);
    expect(wasmSimdSupported()).toBe(true);
    expect(availableKernelBackends()).toEqual(['wasm-simd', 'reference']);
    expect(chooseKernelBackend()).toBe('wasm-simd');
    expect(chooseKernelBackend('reference')).toBe('reference');
    expect(new LinearMemory('wasm-simd').wasm).toBeInstanceOf(WebAssembly.Memory);
    expect(new LinearMemory('reference').wasm).toBeNull();
  });

  it('emits a module that runs: the row dot product over linear memory, for unrolled and looped dimensions', async () => {
    for (const dim of [5, 300]) {
      const builder = new ModuleBuilder();
      const code = builder.addFunction('dot', ['i32', 'i32'], ['f32']);
      emitRowDot(code, dim, rowDotLocals(code, dim), () => code.localGet(0), () => code.localGet(1));
      const memory = new LinearMemory('wasm-simd');
      const padded = Math.ceil(dim / 4) * 16;
      memory.declare('row', 'query');
      memory.resize('row', padded);
      memory.resize('query', padded);
      const row = memory.f32('row');
      const query = memory.f32('query');
      let want = 0;
      for (let j = 0; j < dim; j++) {
        row[j] = (j % 7) - 3;
        query[j] = 0.5 * (j % 3);
        want += row[j]! * query[j]!;
      }
      const { instance } = await WebAssembly.instantiate(builder.encode() as Uint8Array<ArrayBuffer>, { env: { memory: memory.wasm! } });
      const dot = instance.exports.dot as (row: number, query: number) => number;
      expect(dot(memory.ptr('row'), memory.ptr('query')), `dim ${dim}`).toBe(want);
    }
  });
});
