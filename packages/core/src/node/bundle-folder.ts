import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assertBundlePath, isBundleMetaFile, MANIFEST_FILE, SIGNATURE_FILE } from '../bundle/bundle-path.js';
import { MAX_SIGNATURE_BYTES } from '../bundle/signature.js';
import { sealBundle, type Bundle } from '../bundle/bundle.js';
import type { BundleManifest, UnsealedManifest } from '../bundle/manifest.js';
import { loadBundle, MAX_MANIFEST_BYTES, type BundleSource } from '../bundle/source.js';
import { bundleToTar, tarSource } from '../bundle/sources/tar-source.js';
import { BundleError, FileError } from '../errors.js';
import { folderInPlace, readInPlaceFiles } from './bundle-in-place.js';
import { DEFAULT_MAX_FILE_BYTES, readRegularFile } from './read-regular-file.js';

/** A bundle folder on disk as a source; a disk index's table can be verified and opened where it lies. */
export function folderSource(dir: string): BundleSource {
  return {
    location: dir,
    inPlace: folderInPlace(dir),
    async read(path, size) {
      if (!isBundleMetaFile(path)) assertBundlePath(path);
      try {
        // Bundle files are the bundle's own regular files: a symlink (out of the bundle, to
        // /dev/zero), a device or a FIFO is refused, and the recorded size is checked before reading.
        return await readRegularFile(join(dir, ...path.split('/')), {
          what: 'bundle file',
          followSymlinks: false,
          ...(size === undefined ? { maxBytes: path === MANIFEST_FILE ? MAX_MANIFEST_BYTES : path === SIGNATURE_FILE ? MAX_SIGNATURE_BYTES : DEFAULT_MAX_FILE_BYTES } : { expectedSize: size }),
        });
      } catch (error) {
        if (error instanceof FileError && error.code === 'FILE_UNREADABLE' && (error.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return null;
        throw new BundleError('BUNDLE_CORRUPT', `${dir}: ${(error as Error).message}`, { cause: error });
      }
    },
  };
}

/** A `.tar` bundle file as a source (read whole: bundles are loaded into memory anyway). */
export async function tarFileSource(path: string): Promise<BundleSource> {
  let archive: Uint8Array;
  try {
    archive = await readRegularFile(path, { what: 'bundle archive' });
  } catch (cause) {
    const code = (cause as FileError).code === 'FILE_UNREADABLE' ? 'BUNDLE_NOT_FOUND' : 'BUNDLE_INVALID';
    throw new BundleError(code, (cause as Error).message, { cause });
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

/** Adds (or replaces) the signature file of a bundle folder, by temp file + rename. */
export async function writeBundleSignature(dir: string, signature: Uint8Array): Promise<void> {
  const target = join(dir, SIGNATURE_FILE);
  await rm(target, { force: true });
  await publish(target, (temporary) => writeFile(temporary, signature));
}

/**
 * Writes a verified bundle as one `.tar` file (by temp file + rename); an existing file is not
 * overwritten. A table kept in place is read (and checked again) to go into the archive.
 */
export async function writeBundleTar(bundle: Bundle, path: string): Promise<void> {
  if (existsSync(path)) throw new BundleError('BUNDLE_INVALID', `${path} already exists; choose a new file name`);
  const whole = await readInPlaceFiles(bundle);
  await publish(path, (temporary) => writeFile(temporary, bundleToTar(whole)));
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
