import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';
import type { Bundle } from '../bundle/bundle.js';
import { assertBundlePath } from '../bundle/bundle-path.js';
import type { InPlaceFolder } from '../bundle/in-place.js';
import { sha256Hex } from '../bundle/sha256.js';
import { BundleError } from '../errors.js';
import { readRegularFile } from './read-regular-file.js';

/** Bytes hashed per read: a table file of any size streams through this much memory. */
const HASH_CHUNK_BYTES = 1 << 20;

/** A bundle folder's files verified where they lie (see InPlaceFolder): streamed hashes, and listings that refuse links. */
export function folderInPlace(root: string): InPlaceFolder {
  const fullPath = (path: string) => join(root, ...path.split('/'));
  return {
    root,
    async sha256(path, size) {
      assertBundlePath(path);
      let handle;
      try {
        // O_NOFOLLOW: a link out of the bundle is refused; O_NONBLOCK: a FIFO does not block the open.
        handle = await open(fullPath(path), constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
      } catch (cause) {
        const code = (cause as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return null;
        throw new BundleError('BUNDLE_CORRUPT', `${root}: bundle file "${path}" ${code === 'ELOOP' ? 'is a symbolic link, which is refused in a bundle' : `cannot be read: ${(cause as Error).message}`}`, { cause });
      }
      try {
        // Checked on the opened handle, so the file hashed is the file whose type and size were checked.
        const info = await handle.stat();
        if (!info.isFile()) throw new BundleError('BUNDLE_CORRUPT', `${root}: bundle file "${path}" is not a regular file`);
        if (info.size !== size) throw new BundleError('BUNDLE_CORRUPT', `${root}: bundle file "${path}" is ${info.size} bytes, not the ${size} its manifest records`);
        const hash = createHash('sha256');
        const chunk = new Uint8Array(Math.min(HASH_CHUNK_BYTES, Math.max(1, size)));
        for (let offset = 0; offset < size; ) {
          const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, size - offset), offset);
          if (bytesRead === 0) break;
          hash.update(chunk.subarray(0, bytesRead));
          offset += bytesRead;
        }
        return hash.digest('hex');
      } finally {
        await handle.close();
      }
    },
    async listFiles(folder) {
      assertBundlePath(folder);
      const top = fullPath(folder);
      const info = await lstat(top).catch(() => null);
      if (!info) return [];
      if (!info.isDirectory()) throw new BundleError('BUNDLE_CORRUPT', `${root}: "${folder}" is not a folder of the bundle (${info.isSymbolicLink() ? 'a symbolic link' : 'not a folder'})`);
      const files: string[] = [];
      // Entries are not followed: a linked folder inside the table shows as a link and is refused.
      for (const entry of await readdir(top, { recursive: true, withFileTypes: true })) {
        const path = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
        if (entry.isDirectory()) continue;
        if (!entry.isFile()) throw new BundleError('BUNDLE_CORRUPT', `${root}: "${path}" is ${entry.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}, which is refused in a bundle`);
        files.push(path);
      }
      return files;
    },
  };
}

/**
 * The bundle with the files it kept in place read into memory and checked against the manifest
 * again, for writers that need every byte (a `.tar`); a bundle without such files is returned as is.
 */
export async function readInPlaceFiles(bundle: Bundle): Promise<Bundle> {
  if (!bundle.inPlace) return bundle;
  const files = new Map(bundle.files);
  for (const path of bundle.inPlace.paths) {
    const expected = bundle.manifest.files[path]!;
    let bytes: Uint8Array;
    try {
      bytes = await readRegularFile(join(bundle.inPlace.root, ...path.split('/')), { what: 'bundle file', followSymlinks: false, expectedSize: expected.size });
    } catch (cause) {
      throw new BundleError('BUNDLE_CORRUPT', `${bundle.inPlace.root}: ${(cause as Error).message}`, { cause });
    }
    if ((await sha256Hex(bytes)) !== expected.sha256) throw new BundleError('BUNDLE_CORRUPT', `bundle file "${path}" does not match its checksum (damaged or edited after the bundle was written)`);
    files.set(path, bytes);
  }
  const { inPlace: _, ...rest } = bundle;
  return { ...rest, files };
}
