import { realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { StudioError } from '../errors.js';

export const CONFIG_EXTENSIONS = ['.yaml', '.yml'] as const;

/**
 * The configs folder and the rule for paths inside it: relative, '/'-separated, no '.' or '..'
 * segment, a YAML extension, and — after following symbolic links — still inside the folder.
 * Anything else is CONFIG_PATH_INVALID, so the API never reads or writes another file.
 */
export class ConfigFolder {
  /** The folder, resolved through symbolic links. */
  readonly root: string;

  constructor(dir: string) {
    try {
      this.root = realpathSync(dir);
    } catch (cause) {
      throw new StudioError('STUDIO_OPTIONS_INVALID', `the configs folder ${dir} does not exist: create it or pass --configs DIR`, { cause });
    }
  }

  /** The absolute path of a config, checked lexically (it may not exist yet). */
  pathOf(path: string): string {
    const invalid = (why: string) => new StudioError('CONFIG_PATH_INVALID', `config path "${path.slice(0, 200)}" is refused: ${why}`);
    if (path.length === 0) throw invalid('it is empty');
    if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw invalid('it is absolute; paths are relative to the configs folder');
    if (path.includes('\\') || path.includes('\0')) throw invalid('it contains a backslash or a NUL');
    if (path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) throw invalid('it has an empty, "." or ".." segment');
    if (path.split('/').some((segment) => segment.startsWith('.'))) throw invalid('hidden files and folders are not configs');
    if (!CONFIG_EXTENSIONS.some((ext) => path.toLowerCase().endsWith(ext))) throw invalid(`a config ends in ${CONFIG_EXTENSIONS.join(' or ')}`);
    return join(this.root, ...path.split('/'));
  }

  /** The real path of an existing config: symbolic links followed and checked to stay inside the folder. null when it does not exist. */
  async existing(path: string): Promise<string | null> {
    const lexical = this.pathOf(path);
    let real: string;
    try {
      real = await realpath(lexical);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        // A dangling link may still point out of the folder: its parent must be inside at least.
        await this.#assertInside(await realpath(dirname(lexical)).catch(() => this.root), path);
        return null;
      }
      throw error;
    }
    await this.#assertInside(real, path);
    return real;
  }

  /** Whether `real` (a resolved path) lies inside the folder. */
  contains(real: string): boolean {
    return real === this.root || real.startsWith(this.root + sep);
  }

  /** The API path of a file under the folder ('/'-separated, relative). */
  relativePath(absolute: string): string {
    return relative(this.root, absolute).split(sep).join('/');
  }

  async #assertInside(real: string, path: string): Promise<void> {
    if (!this.contains(real)) throw new StudioError('CONFIG_PATH_INVALID', `config path "${path.slice(0, 200)}" is refused: it leads out of the configs folder (through a symbolic link)`);
  }
}
