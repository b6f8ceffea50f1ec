import { existsSync } from 'node:fs';
import { loadBundle, type BundleSource } from '../bundle/source.js';
import type { Bundle } from '../bundle/bundle.js';
import { BundleError } from '../errors.js';
import { bundleSourceAt } from './bundle-folder.js';
import { openTrackingStore } from './tracking/index.js';

/** A bundle named on the command line, and the registry version it is (null for a path). */
export interface ResolvedBundle {
  readonly source: BundleSource;
  /** The registry version, with the digest recorded when it was registered (null for versions older than digests). */
  readonly registered: { readonly name: string; readonly version: number; readonly digest: string | null } | null;
}

const REFERENCE = /^([A-Za-z0-9][A-Za-z0-9._-]*)@([a-z][a-z0-9-]*|\d+)$/;

/** A registered model named as NAME@ALIAS or NAME@VERSION. */
export type ModelReference = { readonly name: string; readonly alias: string } | { readonly name: string; readonly version: number };

/** NAME@ALIAS / NAME@VERSION parsed, or null when `argument` is not written that way. */
export function parseModelReference(argument: string): ModelReference | null {
  const match = REFERENCE.exec(argument);
  if (!match) return null;
  const [, name, ref] = match as unknown as [string, string, string];
  return /^\d+$/.test(ref) ? { name, version: Number(ref) } : { name, alias: ref };
}

/**
 * What `cvf predict`, `cvf models export` (and the servers) accept as a model: a bundle folder or
 * `.tar` file by path, or a registered model as NAME@ALIAS / NAME@VERSION looked up in the store.
 */
export async function resolveBundle(argument: string, storeRoot: string): Promise<ResolvedBundle> {
  if (existsSync(argument)) return { source: await bundleSourceAt(argument), registered: null };
  const reference = parseModelReference(argument);
  if (!reference) throw new BundleError('BUNDLE_NOT_FOUND', `${argument} is neither a bundle folder or .tar file nor NAME@ALIAS / NAME@VERSION`);
  const { name } = reference;
  const store = await openTrackingStore(storeRoot);
  try {
    const version = 'version' in reference ? await store.getVersion(name, reference.version) : await store.getByAlias(name, reference.alias);
    if (!version) throw new BundleError('BUNDLE_NOT_FOUND', `model "${name}" has no ${'version' in reference ? `version "${reference.version}"` : `alias "${reference.alias}"`} in ${store.location}`);
    return { source: await bundleSourceAt(version.bundle), registered: { name: version.name, version: version.version, digest: version.bundleDigest } };
  } finally {
    await store.close();
  }
}

/**
 * Loads a resolved bundle to serve it, checking a registered version against the digest the
 * registry recorded. A bundle folder's disk index (LanceDB) stays where it lies, verified by
 * streaming (see in-place.ts): `readInPlaceFiles` reads it when every byte is needed.
 * A registered version gets its version number in the manifest (a bundle is written before it is
 * registered; the digest leaves the number out), so its predictions' decisions name it.
 */
export async function loadResolvedBundle({ source, registered }: ResolvedBundle, options: { publicKey?: string } = {}): Promise<Bundle> {
  const bundle = await loadBundle(source, { digest: registered?.digest ?? null, diskIndexInPlace: true, ...options });
  return registered && bundle.manifest.version === null ? { ...bundle, manifest: { ...bundle.manifest, version: registered.version } } : bundle;
}
