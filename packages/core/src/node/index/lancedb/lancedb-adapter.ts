import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { IndexError } from '../../../errors.js';
import type { DiskIndexAdapter } from '../../../index/disk-index.js';
import type { VectorIndex, VectorMetric } from '../../../index/types.js';
import { LANCEDB_DESCRIPTION_FILE, LanceDbIndex } from './lancedb-index.js';

/**
 * How @cvf/core/node keeps a LanceDB case index in a bundle: `write` builds the table in a
 * scratch folder from the trained in-memory index and returns its files, which the bundle lists
 * and checksums like any other. A bundle folder on this machine (cvf predict, cvf serve, workers)
 * has its table verified where it lies, streamed through SHA-256, and `openFolder` opens it there,
 * read-only: nothing is copied or held in memory, so the table may be larger than memory. A bundle
 * read from a `.tar` or over HTTP arrives as verified bytes: `open` writes them to a private
 * folder of its own and opens the table there; closing removes that copy.
 */
export const lanceDbIndexAdapter: DiskIndexAdapter = {
  kind: 'lancedb',
  descriptionFile: LANCEDB_DESCRIPTION_FILE,

  async write(index: VectorIndex): Promise<Map<string, Uint8Array>> {
    const scratch = await mkdtemp(join(tmpdir(), 'cvf-lancedb-write-'));
    try {
      await (await LanceDbIndex.copyOf(scratch, index)).close();
      return await readTree(scratch);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  },

  async open(files, expected) {
    const folder = await mkdtemp(join(tmpdir(), 'cvf-lancedb-'));
    const remove = () => rm(folder, { recursive: true, force: true });
    try {
      for (const [path, bytes] of files) {
        const target = join(folder, path);
        if (relative(folder, target).startsWith('..')) throw new IndexError('INDEX_CORRUPT', `LanceDB index file "${path}" lies outside its folder`);
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, bytes, { mode: 0o600 });
      }
      return await withMetric(await LanceDbIndex.open(folder, { onClose: remove, readOnly: true }), expected.metric);
    } catch (error) {
      await remove();
      throw error;
    }
  },

  async openFolder(folder, expected) {
    return withMetric(await LanceDbIndex.open(folder, { readOnly: true }), expected.metric);
  },
};

/** The index, when it holds vectors for the metric its stage names; INDEX_CORRUPT (closed) otherwise. */
async function withMetric(index: LanceDbIndex, metric: VectorMetric): Promise<LanceDbIndex> {
  if (index.metric === metric) return index;
  await index.close();
  throw new IndexError('INDEX_CORRUPT', `the LanceDB index holds vectors for ${index.metric}, but its stage says ${metric}`);
}

/** Every file under `root`, by its path relative to root with forward slashes. */
async function readTree(root: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(relative(root, path).split(sep).join('/'), new Uint8Array(await readFile(path)));
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}
