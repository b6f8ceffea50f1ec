import type { LinearMemory } from '../../compute/wasm/linear-memory.js';

const memoryKeys = new WeakMap<LinearMemory, string>();
let nextKey = 0;

/** A name for an index's memory, unique in this thread's lifetime, by which workers cache their kernels. */
export function memoryKey(memory: LinearMemory): string {
  let key = memoryKeys.get(memory);
  if (key === undefined) {
    key = `${Date.now().toString(36)}-${(nextKey++).toString(36)}-${Math.random().toString(36).slice(2)}`;
    memoryKeys.set(memory, key);
  }
  return key;
}
