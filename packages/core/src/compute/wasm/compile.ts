const compiled = new Map<string, Promise<WebAssembly.Module>>();

/**
 * Compiles an emitted module once per key (its shape, e.g. the dimension), asynchronously:
 * browsers refuse large synchronous compiles on the main thread. A failed compile is forgotten,
 * so a later call tries again.
 */
export function compileOnce(key: string, bytes: () => Uint8Array): Promise<WebAssembly.Module> {
  let module = compiled.get(key);
  if (!module) {
    module = WebAssembly.compile(bytes() as Uint8Array<ArrayBuffer>);
    module.catch(() => compiled.delete(key));
    compiled.set(key, module);
  }
  return module;
}
