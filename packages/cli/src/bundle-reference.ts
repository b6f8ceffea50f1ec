import { BundleError, loadBundle, type Bundle, type BundleSource } from '@cvf/core';
import { bundleSourceAt, SqliteTrackingStore } from '@cvf/core/node';
import { existsSync } from 'node:fs';

/** A bundle named on the command line, and the registry version it is (null for a path). */
export interface ResolvedBundle {
  readonly source: BundleSource;
  /** The registry version, with the digest recorded when it was registered (null for versions older than digests). */
  readonly registered: { readonly name: string; readonly version: number; readonly digest: string | null } | null;
}

const REFERENCE = /^([A-Za-z0-9][A-Za-z0-9._-]*)@([a-z][a-z0-9-]*|\d+)$/;

/**
 * What `cvf predict`, `cvf models export` (and the servers) accept as a model: a bundle folder or
 * `.tar` file by path, or a registered model as NAME@ALIAS / NAME@VERSION looked up in the store.
 */
export async function resolveBundle(argument: string, storeRoot: string): Promise<ResolvedBundle> {
  if (existsSync(argument)) return { source: await bundleSourceAt(argument), registered: null };
  const match = REFERENCE.exec(argument);
  if (!match) throw new BundleError('BUNDLE_NOT_FOUND', `${argument} is neither a bundle folder or .tar file nor NAME@ALIAS / NAME@VERSION`);
  const name = match[1]!;
  const ref = match[2]!;
  const store = SqliteTrackingStore.open(storeRoot);
  try {
    const version = /^\d+$/.test(ref) ? await store.getVersion(name, Number(ref)) : await store.getByAlias(name, ref);
    if (!version) throw new BundleError('BUNDLE_NOT_FOUND', `model "${name}" has no ${/^\d+$/.test(ref) ? 'version' : 'alias'} "${ref}" in ${storeRoot}`);
    return { source: await bundleSourceAt(version.bundle), registered: { name: version.name, version: version.version, digest: version.bundleDigest } };
  } finally {
    store.close();
  }
}

/** Loads a resolved bundle, checking a registered version against the digest the registry recorded. */
export function loadResolvedBundle({ source, registered }: ResolvedBundle, options: { publicKey?: string } = {}): Promise<Bundle> {
  return loadBundle(source, { digest: registered?.digest ?? null, ...options });
}
