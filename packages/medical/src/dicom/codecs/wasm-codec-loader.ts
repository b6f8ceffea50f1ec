/**
 * Lazy loading of the WebAssembly codecs: each module is imported and instantiated on the first
 * frame that needs it, once per process or page. In Node the Emscripten glue finds its .wasm next
 * to itself; in a browser bundle, point it at the served files with `configureWasmCodecs`.
 */

export interface WasmCodecOptions {
  /**
   * Maps a codec's .wasm file name (e.g. "openjpegwasm_decode.wasm") to the URL or path to load it
   * from. With Vite: `import url from '@cornerstonejs/codec-openjpeg/decodewasm?url'`.
   */
  readonly locateFile?: (fileName: string, scriptDirectory: string) => string;
}

let options: WasmCodecOptions = {};
const modules = new Map<string, Promise<unknown>>();

/** Sets where codecs load their .wasm from. Applies to codecs not loaded yet. */
export function configureWasmCodecs(next: WasmCodecOptions): void {
  options = { ...next };
}

type Factory<T> = (arg?: { locateFile?: WasmCodecOptions['locateFile']; print?: (line: string) => void; printErr?: (line: string) => void }) => Promise<T>;

/** What the codecs printed since the last `takeCodecMessages` (OpenJPEG reports its errors this way). */
const messages: string[] = [];
const MAX_MESSAGES = 50;

function record(line: string): void {
  messages.push(line);
  if (messages.length > MAX_MESSAGES) messages.shift();
}

/** Returns and forgets what the codecs printed: kept off the console, shown in decode errors instead. */
export function takeCodecMessages(): string[] {
  return messages.splice(0, messages.length);
}

/** The instantiated module `name`, importing it with `importer` the first time. A failed load is retried next time. */
export function loadWasmCodec<T>(name: string, importer: () => Promise<{ default: Factory<T> } | Factory<T>>): Promise<T> {
  let loading = modules.get(name) as Promise<T> | undefined;
  if (!loading) {
    loading = importer().then((imported) => {
      // CommonJS glue arrives as the default export in Node and in most bundlers, bare in some.
      const factory = typeof imported === 'function' ? imported : imported.default;
      return factory({ ...(options.locateFile ? { locateFile: options.locateFile } : {}), print: record, printErr: record });
    });
    modules.set(name, loading);
    loading.catch(() => modules.delete(name));
  }
  return loading;
}
