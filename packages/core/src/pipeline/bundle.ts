import { BundleError } from '../errors.js';
import { bundleManifestSchema, type BundleManifest } from './bundle-manifest.js';
import { sha256Hex } from './sha256.js';

export const MANIFEST_FILE = 'manifest.json';

/** A bundle in memory: its manifest and the bytes of each of its files. */
export interface Bundle {
  readonly manifest: BundleManifest;
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/** Bundle file names are plain relative paths: they become paths on disk and in IndexedDB. */
export function assertBundlePath(path: string): void {
  if (path === MANIFEST_FILE || path.startsWith('/') || path.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new BundleError('BUNDLE_INVALID', `bundle file name "${path}" must be a relative path without "." or ".." segments, and not ${MANIFEST_FILE}`);
  }
}

/** Completes a manifest with the size and checksum of every file, and serializes it. */
export async function sealBundle(manifest: Omit<BundleManifest, 'files'>, files: ReadonlyMap<string, Uint8Array>): Promise<{ manifest: BundleManifest; manifestBytes: Uint8Array }> {
  const entries: BundleManifest['files'] = {};
  for (const [path, bytes] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    assertBundlePath(path);
    entries[path] = { size: bytes.byteLength, sha256: await sha256Hex(bytes) };
  }
  for (const stage of manifest.stages) {
    for (const file of stage.files) {
      if (!files.has(file)) throw new BundleError('BUNDLE_INVALID', `stage "${stage.name}" names file "${file}", which the bundle does not hold`);
    }
  }
  const sealed = bundleManifestSchema.parse({ ...manifest, files: entries });
  return { manifest: sealed, manifestBytes: new TextEncoder().encode(`${JSON.stringify(sealed, null, 2)}\n`) };
}

/**
 * Checks a bundle read from anywhere (folder, tar, IndexedDB, HTTP): the manifest's schema and
 * version, and that every file is present with its recorded size and checksum.
 */
export async function openBundle(manifestBytes: Uint8Array, readFile: (path: string) => Promise<Uint8Array | null>): Promise<Bundle> {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch (cause) {
    throw new BundleError('BUNDLE_INVALID', `${MANIFEST_FILE} is not JSON: ${(cause as Error).message}`, { cause });
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version !== 1) {
    throw new BundleError('BUNDLE_VERSION_UNSUPPORTED', `bundle schema version ${version} is not supported by this @cvf/core (it reads version 1)`);
  }
  const parsed = bundleManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new BundleError('BUNDLE_INVALID', `${MANIFEST_FILE} does not describe a bundle: ${problems}`);
  }
  const files = new Map<string, Uint8Array>();
  for (const [path, expected] of Object.entries(parsed.data.files)) {
    assertBundlePath(path);
    const bytes = await readFile(path);
    if (!bytes) throw new BundleError('BUNDLE_CORRUPT', `bundle file "${path}" is missing`);
    if (bytes.byteLength !== expected.size || (await sha256Hex(bytes)) !== expected.sha256) {
      throw new BundleError('BUNDLE_CORRUPT', `bundle file "${path}" does not match its checksum (damaged or edited after the bundle was written)`);
    }
    files.set(path, bytes);
  }
  return { manifest: parsed.data, files };
}
