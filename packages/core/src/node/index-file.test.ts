import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileError, IndexError } from '../errors.js';
import { createIndex } from '../index/create-index.js';
import { clusteredVectors } from '../index/testing/vectors.js';
import { loadIndexFile, saveIndexFile } from './index-file.js';

const folder = await mkdtemp(join(tmpdir(), 'cvf-index-file-'));
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('index files', () => {
  it('saves atomically (no temporary file left) and loads an index that searches the same', async () => {
    const index = await createIndex({ kind: 'hnsw', dim: 8, metric: 'l2', M: 8, efConstruction: 32 });
    index.addBatch(Int32Array.from({ length: 300 }, (_, i) => i), clusteredVectors(31, 300, 8), Array.from({ length: 300 }, (_, i) => ({ site: i % 2 ? 'a' : 'b' })));
    const path = join(folder, 'cases.cvfindex');
    await saveIndexFile(path, index);
    expect(await readdir(folder)).toEqual(['cases.cvfindex']);
    const loaded = await loadIndexFile(path);
    const q = clusteredVectors(32, 3, 8);
    expect(loaded.searchBatch(q, { k: 5, filter: { site: 'a' } })).toEqual(index.searchBatch(q, { k: 5, filter: { site: 'a' } }));
    // Overwriting replaces the file whole.
    index.delete(0);
    await saveIndexFile(path, index);
    expect((await loadIndexFile(path)).size).toBe(299);
    expect(await readdir(folder)).toEqual(['cases.cvfindex']);
  });

  it('a damaged file is INDEX_CORRUPT; a missing one is FILE_UNREADABLE; a failed write leaves nothing behind', async () => {
    const index = await createIndex({ kind: 'flat', dim: 4, metric: 'dot' });
    index.add(1, [1, 2, 3, 4]);
    const path = join(folder, 'flat.cvfindex');
    await saveIndexFile(path, index);
    const bytes = await readFile(path);
    bytes[bytes.length - 3]! ^= 1;
    await writeFile(path, bytes);
    await expect(loadIndexFile(path)).rejects.toSatisfy((e) => e instanceof IndexError && e.code === 'INDEX_CORRUPT');
    await expect(loadIndexFile(join(folder, 'nope.cvfindex'))).rejects.toSatisfy((e) => e instanceof FileError && /no such file/.test(e.message));
    const before = await readdir(folder);
    await expect(saveIndexFile(join(folder, 'missing-dir', 'x.cvfindex'), index)).rejects.toBeInstanceOf(FileError);
    expect(await readdir(folder)).toEqual(before);
  });
});
