// Runs in the page: a trained bundle fetched over HTTP, cached in IndexedDB, loaded back from the
// cache with the same Predictor as Node (onnxruntime-web for the ONNX graphs), then damaged on purpose.
import {
  CpuDevice,
  createDevice,
  createOrtWebRuntime,
  deleteBundleFromIndexedDB,
  DEFAULT_BUNDLE_DATABASE,
  httpSource,
  imageTensor,
  indexedDbSource,
  listBundlesInIndexedDB,
  loadBundle,
  Predictor,
  saveBundleToIndexedDB,
  type Device,
} from '@cvf/core';
import { openDB } from 'idb';
import * as ort from 'onnxruntime-web';
import { errorOf } from '../support/error-of.js';

declare global {
  interface Window {
    runBundleChecks(images: number[][], size: { height: number; width: number }): Promise<unknown>;
  }
}

const KEY = 'fashion-mnist@test';
const TAMPERED_KEY = 'fashion-mnist@tampered';

window.runBundleChecks = async (pixels, size) => {
  // ORT's .mjs/.wasm are served under /ort/, not next to the bundled script.
  const onnxRuntime = createOrtWebRuntime(ort, { wasmPaths: '/ort/' });
  const images = () => pixels.map((p) => imageTensor('u8', { ...size, channels: 1 }, Uint8Array.from(p)));
  const predictFromCache = async (device: Device) => {
    const predictor = await Predictor.load(indexedDbSource(KEY), { device, onnxRuntime });
    try {
      return (await predictor.predict(images())).map((p) => ({ probabilities: p.probabilities, similar: p.similar.map((s) => s.id) }));
    } finally {
      await predictor.release();
    }
  };

  const fetched = await loadBundle(httpSource(new URL('/bundle/', location.origin)));
  const saved = await saveBundleToIndexedDB(fetched, KEY);
  const cpu = await predictFromCache(new CpuDevice());
  const gpuDevice = await createDevice({ prefer: 'webgpu', allowSoftwareAdapter: true });
  let webgpu: Awaited<ReturnType<typeof predictFromCache>>;
  try {
    webgpu = await predictFromCache(gpuDevice);
  } finally {
    gpuDevice.destroy();
  }

  // A second copy with one stored file altered: loading it must name that file.
  await saveBundleToIndexedDB(fetched, TAMPERED_KEY);
  const tamperedFile = Object.keys(fetched.manifest.files).find((path) => path.endsWith('.onnx')) ?? Object.keys(fetched.manifest.files)[0]!;
  const db = await openDB(DEFAULT_BUNDLE_DATABASE);
  const bytes = Uint8Array.from((await db.get('files', [TAMPERED_KEY, tamperedFile])) as Uint8Array);
  bytes[bytes.length >> 1]! ^= 0xff;
  await db.put('files', bytes, [TAMPERED_KEY, tamperedFile]);
  db.close();
  const listed = (await listBundlesInIndexedDB()).map((b) => b.key).sort();
  const tampered = await errorOf(loadBundle(indexedDbSource(TAMPERED_KEY)));
  const missing = await errorOf(loadBundle(indexedDbSource('fashion-mnist@nope')));
  const deleted = await deleteBundleFromIndexedDB(TAMPERED_KEY);
  const deletedAgain = await deleteBundleFromIndexedDB(TAMPERED_KEY);
  const afterDelete = (await listBundlesInIndexedDB()).map((b) => b.key);
  return {
    saved: { key: saved.key, name: saved.name, paths: [...saved.paths].sort(), bytes: saved.bytes },
    gpuBackend: gpuDevice.backend,
    cpu,
    webgpu,
    listed,
    tamperedFile,
    tampered,
    missing,
    deleted,
    deletedAgain,
    afterDelete,
  };
};
