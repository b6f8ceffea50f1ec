import { createHash } from 'node:crypto';
import { lstat, mkdir, open, readdir, readFile, realpath, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ConfigEntry, ConfigFile, ConfigSaveRequest, ConfigSaveResponse } from '../../src/api/schemas.js';
import { StudioError } from '../errors.js';
import { CONFIG_EXTENSIONS, ConfigFolder } from './config-paths.js';

/** The same bound as `cvf validate`: a config is text, at most 1 MiB. */
export const MAX_CONFIG_BYTES = 1 << 20;
/** A configs folder is a handful of pipelines; the listing stops here rather than walk a huge tree. */
const MAX_LISTED = 5000;
const MAX_DEPTH = 8;

export const sha256Of = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The pipelines' YAML files: list, read, and save with a conflict check. */
export class ConfigFiles {
  readonly folder: ConfigFolder;

  constructor(dir: string) {
    this.folder = new ConfigFolder(dir);
  }

  /** Every YAML file under the folder, sorted by path; links leading out of it are left out. */
  async list(): Promise<ConfigEntry[]> {
    const files: ConfigEntry[] = [];
    const walk = async (dir: string, depth: number): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (files.length >= MAX_LISTED || entry.name.startsWith('.')) continue;
        const path = join(dir, entry.name);
        const real = await realpath(path).catch(() => null);
        if (!real || !this.folder.contains(real)) continue;
        const info = await stat(real);
        if (info.isDirectory() && !entry.isSymbolicLink() && depth < MAX_DEPTH) await walk(path, depth + 1);
        else if (info.isFile() && CONFIG_EXTENSIONS.some((ext) => entry.name.toLowerCase().endsWith(ext))) {
          files.push({ path: this.folder.relativePath(path), size: info.size, mtimeMs: info.mtimeMs });
        }
      }
    };
    await walk(this.folder.root, 0);
    return files.sort((a, b) => a.path.localeCompare(b.path));
  }

  async read(path: string): Promise<ConfigFile> {
    const real = await this.folder.existing(path);
    if (!real) throw new StudioError('CONFIG_NOT_FOUND', `no config "${path}" in ${this.folder.root}`);
    const text = await readConfigText(real, path);
    return { path, text, sha256: sha256Of(text) };
  }

  /**
   * Writes a config. `baseSha256` is the hash the editor read: when the file changed on disk
   * since (or appeared, for a new file), CONFIG_CONFLICT, and nothing is written. The text goes
   * to a temporary sibling first and replaces the file by one rename.
   */
  async save(request: ConfigSaveRequest): Promise<ConfigSaveResponse> {
    const { path, text, baseSha256 } = request;
    if (Buffer.byteLength(text, 'utf8') > MAX_CONFIG_BYTES) throw new StudioError('BODY_TOO_LARGE', `config "${path}" would be over ${MAX_CONFIG_BYTES} bytes`);
    let target = await this.folder.existing(path);
    const current = target ? sha256Of(await readConfigText(target, path)) : null;
    if (current !== baseSha256) {
      throw new StudioError(
        'CONFIG_CONFLICT',
        current === null
          ? `config "${path}" no longer exists on disk; save it as a new file (baseSha256 null)`
          : baseSha256 === null
            ? `config "${path}" already exists; reload it before saving over it`
            : `config "${path}" changed on disk since it was opened; reload it (or copy your edits) before saving`,
      );
    }
    if (!target) {
      target = this.folder.pathOf(path);
      await mkdir(dirname(target), { recursive: true });
      // mkdir follows links in the parents: the folder that now holds the file must still be inside.
      if (!this.folder.contains(await realpath(dirname(target)))) throw new StudioError('CONFIG_PATH_INVALID', `config path "${path}" is refused: it leads out of the configs folder (through a symbolic link)`);
    }
    const temporary = join(dirname(target), `.${process.pid}.${Date.now()}.cvf-save`);
    await writeFile(temporary, text, { encoding: 'utf8', flag: 'wx' });
    await rename(temporary, target);
    return { path, sha256: sha256Of(text) };
  }

  /** The absolute, checked path of an existing config (for `cvf train`). */
  async resolveExisting(path: string): Promise<string> {
    const real = await this.folder.existing(path);
    if (!real) throw new StudioError('CONFIG_NOT_FOUND', `no config "${path}" in ${this.folder.root}`);
    return real;
  }
}

/** A config file's text: a regular file, bounded, UTF-8. */
async function readConfigText(real: string, path: string): Promise<string> {
  const info = await lstat(real);
  if (!info.isFile()) throw new StudioError('CONFIG_PATH_INVALID', `config "${path}" is not a regular file`);
  if (info.size > MAX_CONFIG_BYTES) throw new StudioError('BODY_TOO_LARGE', `config "${path}" is ${info.size} bytes; configs are at most ${MAX_CONFIG_BYTES}`);
  const handle = await open(real, 'r');
  try {
    return await readFile(handle, 'utf8');
  } finally {
    await handle.close();
  }
}
