// Runs in the page: parses and decodes DICOM with @cvf/medical, loading each WebAssembly codec from /wasm/.
import { configureWasmCodecs, decodeFrames, parseDicom } from '@cvf/medical';

declare global {
  interface Window {
    decodeDicom(bytes: number[]): Promise<{ transferSyntaxUID: string; photometricInterpretation: string; data: number[][] } | { error: { code: string; message: string } }>;
    loadedScripts(): string[];
  }
}

configureWasmCodecs({ locateFile: (fileName) => `/wasm/${fileName}` });

window.decodeDicom = async (bytes) => {
  try {
    const image = await decodeFrames(parseDicom(Uint8Array.from(bytes)));
    return { transferSyntaxUID: image.transferSyntaxUID, photometricInterpretation: image.photometricInterpretation, data: image.data.map((d) => Array.from(d)) };
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { error: { code, message } };
  }
};

/** Script and wasm URLs the page has fetched so far: shows which codecs were loaded, and when. */
window.loadedScripts = () => performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname);
