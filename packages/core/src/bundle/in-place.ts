import { BundleError } from '../errors.js';
import { diskIndexLayout } from './kinds/case-index.js';
import type { BundleManifest } from './manifest.js';

/**
 * A bundle that is a folder on this machine, as its source offers it: its large files can be
 * verified where they lie (streamed through SHA-256, never held whole) and then opened there.
 */
export interface InPlaceFolder {
  /** The bundle folder's path on this machine. */
  readonly root: string;
  /**
   * The SHA-256 (hex) of a bundle file, computed by streaming it; null when it does not exist.
   * BUNDLE_CORRUPT when it is not a regular file of the bundle (a link, a device) or not `size` bytes.
   */
  sha256(path: string, size: number): Promise<string | null>;
  /** Every file under a folder of the bundle, as bundle paths; BUNDLE_CORRUPT for anything but regular files and folders. */
  listFiles(folder: string): Promise<string[]>;
}

/** Files of a loaded bundle verified on disk but not read into memory: the stage that owns them opens them in `root`. */
export interface InPlaceFiles {
  readonly root: string;
  readonly paths: ReadonlySet<string>;
}

/**
 * Verifies the files of the bundle's disk index (a LanceDB table) where they lie: each one's size
 * and SHA-256 against the manifest, and that the table's folder holds no file the manifest does
 * not list (a later table version dropped in beside them would be what LanceDB opens). Null when
 * the bundle has no disk index. The same BUNDLE_CORRUPT errors as a file read into memory.
 */
export async function verifyInPlace(manifest: BundleManifest, folder: InPlaceFolder): Promise<InPlaceFiles | null> {
  const stage = manifest.stages.find((s) => s.kind === 'index');
  const layout = stage?.kind === 'index' ? diskIndexLayout(stage) : null;
  if (!layout) return null;
  for (const path of layout.tablePaths) {
    const expected = manifest.files[path]!;
    const digest = await folder.sha256(path, expected.size);
    if (digest === null) throw new BundleError('BUNDLE_CORRUPT', `bundle file "${path}" is missing`);
    if (digest !== expected.sha256) throw new BundleError('BUNDLE_CORRUPT', `bundle file "${path}" does not match its checksum (damaged or edited after the bundle was written)`);
  }
  for (const path of await folder.listFiles(layout.folder)) {
    if (!(path in manifest.files)) throw new BundleError('BUNDLE_CORRUPT', `bundle file "${path}" is not listed in the manifest: the ${layout.folder}/ table was changed after the bundle was written`);
  }
  return { root: folder.root, paths: new Set(layout.tablePaths) };
}
