import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { FileError } from '../errors.js';

/** The default cap on one file read whole into memory: far above any image, config or bundle file, far below memory. */
export const DEFAULT_MAX_FILE_BYTES = 1 << 30;

export interface ReadRegularFileOptions {
  /** Refuse larger files (FILE_TOO_LARGE) before reading a byte; default 1 GiB. */
  readonly maxBytes?: number;
  /** Refuse a file of another size (e.g. the size a manifest records), before reading it. */
  readonly expectedSize?: number;
  /** false: a symbolic link is refused (FILE_NOT_REGULAR), as inside a bundle. Default true. */
  readonly followSymlinks?: boolean;
  /** Names the file in messages, e.g. 'image', 'bundle file'. */
  readonly what?: string;
}

/**
 * Reads a whole file, but only a regular one of a bounded size: a device (/dev/zero), a FIFO, a
 * socket or a folder is FILE_NOT_REGULAR, and the size is checked with fstat on the opened handle
 * (no race with a swap of the path) before anything is read. The read stops at the size fstat
 * gave, so a file that grows meanwhile cannot grow the buffer.
 */
export async function readRegularFile(path: string, options: ReadRegularFileOptions = {}): Promise<Uint8Array> {
  const what = options.what ?? 'file';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW refuses a final symlink.
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (options.followSymlinks === false ? constants.O_NOFOLLOW : 0);
  let handle;
  try {
    handle = await open(path, flags);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new FileError(`${what} "${path}" is a symbolic link, which is refused here`, { cause, code: 'FILE_NOT_REGULAR' });
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : (cause as Error).message;
    throw new FileError(`cannot read ${what} "${path}": ${reason}`, { cause });
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new FileError(`${what} "${path}" is not a regular file (${kindOf(info)})`, { code: 'FILE_NOT_REGULAR' });
    if (info.size > maxBytes) throw new FileError(`${what} "${path}" is ${info.size} bytes, more than the ${maxBytes} allowed`, { code: 'FILE_TOO_LARGE' });
    if (options.expectedSize !== undefined && info.size !== options.expectedSize) {
      throw new FileError(`${what} "${path}" is ${info.size} bytes, not the ${options.expectedSize} expected`, { code: 'FILE_TOO_LARGE' });
    }
    const bytes = new Uint8Array(info.size);
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesRead } = await handle.read(bytes, offset, bytes.length - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return offset === bytes.length ? bytes : bytes.subarray(0, offset);
  } finally {
    await handle.close();
  }
}

function kindOf(info: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a plain file';
}
