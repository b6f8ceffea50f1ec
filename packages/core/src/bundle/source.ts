import { BundleError } from '../errors.js';
import { openBundle, type Bundle } from './bundle.js';
import { MANIFEST_FILE, SIGNATURE_FILE } from './bundle-path.js';
import type { InPlaceFolder } from './in-place.js';
import { bundleDigest } from './digest.js';
import { MAX_SIGNATURE_BYTES, verifyBundleSignature } from './signature.js';

/**
 * Where a bundle's bytes come from: a folder, a `.tar`, the studio server over HTTP, the browser's
 * IndexedDB cache. The loader reads every bundle through this one interface, so the same
 * `loadBundle` (and `Predictor.load`) serves the CLI, the edge runtime, the viewer and workers.
 */
export interface BundleSource {
  /** Where the bundle is, for messages: a path, a URL, an IndexedDB key. */
  readonly location: string;
  /**
   * A file of the bundle by its relative path (`manifest.json` included); null when it does not
   * exist. `size` is the size the manifest records: a source refuses a file of another size
   * before reading it (BUNDLE_CORRUPT), so a swapped-in device or huge file is never read whole.
   */
  read(path: string, size?: number): Promise<Uint8Array | null>;
  /** Present where the bundle is a folder on this machine (Node): a disk index's table can then be verified and opened where it lies. */
  readonly inPlace?: InPlaceFolder;
}

/** The largest `manifest.json` a loader reads: a manifest lists stages and checksums, never data. */
export const MAX_MANIFEST_BYTES = 16 << 20;

export interface LoadBundleOptions {
  /** The digest the registry recorded for this bundle (see bundleDigest): a different manifest is BUNDLE_CORRUPT. */
  readonly digest?: string | null;
  /** An Ed25519 public key (PEM): the bundle must carry a valid `manifest.sig` by it (BUNDLE_SIGNATURE_INVALID otherwise). */
  readonly publicKey?: string;
  /**
   * Keep a disk index's table (LanceDB) where it lies when the source is a folder on this machine:
   * verified by streaming, opened there by the predictor, absent from `files`. For loaders that
   * serve the bundle; leave it off to get every file's bytes (to copy or re-pack the bundle).
   */
  readonly diskIndexInPlace?: boolean;
}

/**
 * Reads and verifies a bundle: BUNDLE_NOT_FOUND without a manifest, BUNDLE_CORRUPT naming a
 * missing or altered file, or when the manifest is not the one the registry recorded.
 */
export async function loadBundle(source: BundleSource, options: LoadBundleOptions = {}): Promise<Bundle> {
  const manifestBytes = await source.read(MANIFEST_FILE);
  if (!manifestBytes) throw new BundleError('BUNDLE_NOT_FOUND', `no bundle at ${source.location} (${MANIFEST_FILE} is missing)`);
  const bundle = await openBundle(manifestBytes, (path, size) => source.read(path, size), options.diskIndexInPlace ? source.inPlace : undefined);
  if (options.digest) {
    const digest = await bundleDigest(bundle.manifest);
    if (digest !== options.digest) {
      throw new BundleError('BUNDLE_CORRUPT', `${MANIFEST_FILE} at ${source.location} is not the manifest that was registered (digest ${digest.slice(0, 12)}…, registered ${options.digest.slice(0, 12)}…): it was edited or replaced`);
    }
  }
  const signature = await source.read(SIGNATURE_FILE);
  if (signature && signature.byteLength > MAX_SIGNATURE_BYTES) throw new BundleError('BUNDLE_SIGNATURE_INVALID', `${SIGNATURE_FILE} at ${source.location} is ${signature.byteLength} bytes; a signature file is under ${MAX_SIGNATURE_BYTES}`);
  if (options.publicKey !== undefined) await verifyBundleSignature(bundle.manifest, signature, options.publicKey);
  return signature ? { ...bundle, signature } : bundle;
}

/** A bundle already in memory (file name → bytes, the manifest included), e.g. unpacked from an upload. */
export function memorySource(files: ReadonlyMap<string, Uint8Array>, location = 'memory'): BundleSource {
  return { location, read: async (path) => files.get(path) ?? null };
}
