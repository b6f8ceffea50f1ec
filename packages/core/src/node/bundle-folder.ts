import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assertBundlePath, MANIFEST_FILE } from '../bundle/bundle-path.js';
import { sealBundle, type Bundle } from '../bundle/bundle.js';
import type { BundleManifest, UnsealedManifest } from '../bundle/manifest.js';
import { loadBundle, type BundleSource } from '../bundle/source.js';
import { bundleToTar, tarSource } from '../bundle/sources/tar-source.js';
import { BundleError } from '../errors.js';

/** A bundle folder on disk as a source. */
export function folderSource(dir: string): BundleSource {
  return {
    location: dir,
    async read(path) {
      if (path !== MANIFEST_FILE) assertBundlePath(path);
      try {
        return await readFile(join(dir, ...path.split('/')));
      } catch {
        return null;
      }
    },
  };
}

/** A `.tar` bundle file as a source (read whole: bundles are loaded into memory anyway). */
export async function tarFileSource(path: string): Promise<BundleSource> {
  let archive: Uint8Array;
  try {
    archive = await readFile(path);
  } catch (cause) {
    throw new BundleError('BUNDLE_NOT_FOUND', `cannot read bundle archive ${path}: ${(cause as Error).message}`, { cause });
  }
  return tarSource(archive, path);
}

/** A bundle folder or a `.tar` bundle file, by what is at `path`. */
export async function bundleSourceAt(path: string): Promise<BundleSource> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new BundleError('BUNDLE_NOT_FOUND', `no bundle at ${path}`);
  return info.isDirectory() ? folderSource(path) : tarFileSource(path);
}

/**
 * Writes a bundle as a folder. Bundles are immutable: an existing folder is never overwritten.
 * The files go to a temporary sibling first and the folder appears by one rename, so a crash
 * never leaves half a bundle under the final name.
 */
export async function writeBundleFolder(dir: string, manifest: UnsealedManifest, files: ReadonlyMap<string, Uint8Array>): Promise<BundleManifest> {
  if (existsSync(dir)) throw new BundleError('BUNDLE_INVALID', `${dir} already exists; a bundle is written once, to a new folder`);
  const sealed = await sealBundle(manifest, files);
  await publish(dir, async (temporary) => {
    for (const [path, bytes] of files) {
      const target = join(temporary, ...path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, bytes);
    }
    await mkdir(temporary, { recursive: true });
    await writeFile(join(temporary, MANIFEST_FILE), sealed.manifestBytes);
  });
  return sealed.manifest;
}

/** Reads and verifies a bundle folder (schema, version, every file's checksum). */
export function readBundleFolder(dir: string): Promise<Bundle> {
  return loadBundle(folderSource(dir));
}

/** Writes a verified bundle as one `.tar` file (by temp file + rename); an existing file is not overwritten. */
export async function writeBundleTar(bundle: Bundle, path: string): Promise<void> {
  if (existsSync(path)) throw new BundleError('BUNDLE_INVALID', `${path} already exists; choose a new file name`);
  await publish(path, (temporary) => writeFile(temporary, bundleToTar(bundle)));
}

/** Writes to a temporary sibling of `target`, then renames it into place; the temporary is removed on failure. */
async function publish(target: string, write: (temporary: string) => Promise<void>): Promise<void> {
  const temporary = `${target}.partial-${process.pid}`;
  await rm(temporary, { recursive: true, force: true });
  try {
    await write(temporary);
    await mkdir(dirname(target), { recursive: true });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
}
