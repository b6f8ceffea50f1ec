import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { KernelBackend } from '../compute/wasm/backend.js';
import { FileError } from '../errors.js';
import { deserializeIndex, serializeIndex } from '../index/persist/index-persistence.js';
import type { VectorIndex } from '../index/types.js';
import { readRegularFile } from './read-regular-file.js';

/**
 * Writes an index to a file atomically: the bytes (versioned header + CRC-32, see
 * index/persist/index-format.ts) go to a temporary file in the same folder, are flushed to disk,
 * and the temporary file is renamed over `path` — a crash leaves the old file or the new one,
 * never half of either.
 */
export async function saveIndexFile(path: string, index: VectorIndex): Promise<void> {
  const bytes = serializeIndex(index);
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
    await syncFolder(dirname(path));
  } catch (error) {
    await rm(temporary, { force: true });
    throw new FileError(`cannot write index file "${path}": ${(error as Error).message}`, { cause: error });
  }
}

/** The rename is durable once the folder's entry is flushed too (best effort: not every system allows it). */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms refuse fsync on a directory; the file itself is already on disk.
  }
}

/**
 * Reads an index file. FileError (FILE_UNREADABLE) when it cannot be read; IndexError
 * (INDEX_CORRUPT, INDEX_VERSION_UNSUPPORTED) when its bytes are not a sound index.
 */
export async function loadIndexFile(path: string, options: { backend?: KernelBackend } = {}): Promise<VectorIndex> {
  return deserializeIndex(await readRegularFile(path, { what: 'index file' }), options);
}
