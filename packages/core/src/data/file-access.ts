/**
 * How datasets read files, injected so the readers stay isomorphic: Node passes
 * `nodeFileAccess` (@cvf/core/node); a browser can pass one over fetch or the File System Access API.
 * Paths are '/'-separated. Failures are FileError (FILE_UNREADABLE) naming the path.
 */
export interface FileAccess {
  readFile(path: string): Promise<Uint8Array>;
  /** Every file under `folder`, recursively, as '/'-separated paths relative to it, sorted. Hidden entries (a name starting with '.') are left out. */
  listFiles(folder: string): Promise<string[]>;
  /** The sub-folders directly in `folder`, by name, sorted; hidden ones left out. */
  listFolders(folder: string): Promise<string[]>;
}

export async function readTextFile(files: FileAccess, path: string): Promise<string> {
  return new TextDecoder('utf-8').decode(await files.readFile(path));
}
