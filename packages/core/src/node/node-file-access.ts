import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { FileAccess } from '../data/file-access.js';
import { FileError } from '../errors.js';
import { readRegularFile } from './read-regular-file.js';

function unreadable(what: string, path: string, error: unknown): FileError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such file or folder' : code === 'ENOTDIR' ? 'not a folder' : code === 'EISDIR' ? 'a folder, not a file' : (error as Error).message;
  return new FileError(`cannot ${what} "${path}": ${reason}`, { cause: error });
}

const visible = (name: string) => !name.startsWith('.');

/** Datasets' file access on the local file system (paths with '/' separators). */
export const nodeFileAccess: FileAccess = {
  async readFile(path) {
    // Regular files of a bounded size only: a dataset entry that is a device or FIFO is refused.
    return readRegularFile(path, { what: 'data file' });
  },

  async listFiles(folder) {
    try {
      const entries = await readdir(folder, { recursive: true, withFileTypes: true });
      return entries
        .filter((e) => e.isFile() && visible(e.name))
        .map((e) => relative(folder, join(e.parentPath, e.name)).split(sep).join('/'))
        .filter((path) => path.split('/').every(visible))
        .sort();
    } catch (error) {
      throw unreadable('list', folder, error);
    }
  },

  async listFolders(folder) {
    try {
      const entries = await readdir(folder, { withFileTypes: true });
      return entries.filter((e) => e.isDirectory() && visible(e.name)).map((e) => e.name).sort();
    } catch (error) {
      throw unreadable('list', folder, error);
    }
  },
};
