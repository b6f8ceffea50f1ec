import { MANIFEST_FILE, SIGNATURE_FILE } from '../bundle-path.js';
import type { Bundle } from '../bundle.js';
import { memorySource, type BundleSource } from '../source.js';
import { readTar, writeTar } from '../tar.js';

/** A bundle from the bytes of a `.tar` (a file read by the host, an upload, a download). */
export function tarSource(archive: Uint8Array, location = 'bundle.tar'): BundleSource {
  return memorySource(readTar(archive, location), location);
}

/**
 * A verified bundle → one `.tar`: the manifest first (in the current schema, so an older bundle
 * is upgraded on the way), then the files in manifest order.
 */
export function bundleToTar(bundle: Bundle): Uint8Array {
  const manifest = new TextEncoder().encode(`${JSON.stringify(bundle.manifest, null, 2)}\n`);
  const files = Object.keys(bundle.manifest.files).map((path) => [path, bundle.files.get(path) ?? new Uint8Array(0)] as const);
  return writeTar([[MANIFEST_FILE, manifest], ...(bundle.signature ? [[SIGNATURE_FILE, bundle.signature] as const] : []), ...files]);
}
