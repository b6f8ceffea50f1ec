import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BundleError } from '../errors.js';
import { MANIFEST_FILE, openBundle, sealBundle, type Bundle } from '../pipeline/bundle.js';
import type { BundleManifest } from '../pipeline/bundle-manifest.js';

/**
 * Writes a bundle as a folder. Bundles are immutable: an existing folder is never overwritten.
 * The files go to a temporary sibling first and the folder appears by one rename, so a crash
 * never leaves half a bundle under the final name.
 */
export async function writeBundleFolder(dir: string, manifest: Omit<BundleManifest, 'files'>, files: ReadonlyMap<string, Uint8Array>): Promise<BundleManifest> {
  if (existsSync(dir)) throw new BundleError('BUNDLE_INVALID', `${dir} already exists; a bundle is written once, to a new folder`);
  const sealed = await sealBundle(manifest, files);
  const temporary = `${dir}.partial-${process.pid}`;
  await rm(temporary, { recursive: true, force: true });
  try {
    for (const [path, bytes] of files) {
      const target = join(temporary, ...path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, bytes);
    }
    await mkdir(temporary, { recursive: true });
    await writeFile(join(temporary, MANIFEST_FILE), sealed.manifestBytes);
    await mkdir(dirname(dir), { recursive: true });
    await rename(temporary, dir);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  return sealed.manifest;
}

/** Reads and verifies a bundle folder (schema, version, every file's checksum). */
export async function readBundleFolder(dir: string): Promise<Bundle> {
  let manifestBytes: Uint8Array;
  try {
    manifestBytes = await readFile(join(dir, MANIFEST_FILE));
  } catch (cause) {
    throw new BundleError('BUNDLE_NOT_FOUND', `no bundle at ${dir} (${MANIFEST_FILE} is missing or unreadable)`, { cause });
  }
  return openBundle(manifestBytes, async (path) => {
    try {
      return await readFile(join(dir, ...path.split('/')));
    } catch {
      return null;
    }
  });
}
