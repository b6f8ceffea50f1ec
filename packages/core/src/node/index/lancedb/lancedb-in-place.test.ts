import { mkdtemp, readdir, rm, stat, symlink, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectStages, requireStage, stageFiles } from '../../../bundle/bundle.js';
import { saveDiskIndexStage } from '../../../bundle/kinds/case-index.js';
import { BUNDLE_SCHEMA_VERSION, type UnsealedManifest } from '../../../bundle/manifest.js';
import { loadBundle, type BundleSource } from '../../../bundle/source.js';
import { STAGE_KINDS } from '../../../bundle/stage-table.js';
import { preprocessSchema } from '../../../config/sections/preprocess.js';
import { indexSchema } from '../../../config/sections/vector-index.js';
import { createIndex } from '../../../index/create-index.js';
import type { DiskIndexParams } from '../../../bundle/kinds/case-index.js';
import { clusteredVectors } from '../../../index/testing/vectors.js';
import type { VectorIndex } from '../../../index/types.js';
import { folderSource, tarFileSource, writeBundleFolder, writeBundleTar } from '../../bundle-folder.js';
import './register.js';
import { LanceDbIndex } from './lancedb-index.js';

const DIM = 8;
const N = 120;
const queries = clusteredVectors(22, 3, DIM);
const TABLE = 'index.lancedb/cases.lance/';

let dir: string;
let flat: VectorIndex;
let bundleDir: string;
let counter = 0;

/** A bundle holding only a LanceDB case index (all a loader needs to verify and open it). */
async function writeIndexBundle(): Promise<string> {
  const params = indexSchema.parse({ kind: 'lancedb', metric: 'l2', k: 3 }) as DiskIndexParams;
  const cases = { ids: Array.from({ length: N }, (_, i) => `case-${i}`), labels: Array.from({ length: N }, (_, i) => (i % 2 === 0 ? 'a' : 'b')) };
  const { stages, files } = collectStages([await saveDiskIndexStage(flat, cases, params)]);
  const manifest: UnsealedManifest = {
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    name: 'cases',
    version: null,
    createdAt: '2026-12-06T05:00:00.000Z',
    coreVersion: '0.1.0',
    configHash: 'c0ffee',
    classes: ['a', 'b'],
    input: { height: 8, width: 8, channels: 1, formats: ['png'], photometricInterpretations: [], modalities: [] },
    preprocess: preprocessSchema.parse({ resize: { height: 8, width: 8 } }),
    stages,
    metrics: {},
  };
  const out = join(dir, `bundle-${counter++}`);
  await writeBundleFolder(out, manifest, files);
  return out;
}

/** Every file under `root` with its size and modification time. */
async function snapshot(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const info = await stat(join(entry.parentPath, entry.name));
    out.push(`${join(entry.parentPath, entry.name)} ${info.size} ${info.mtimeMs}`);
  }
  return out.sort();
}

/** The folder source, with every path the loader asks it to read into memory recorded. */
function recordingSource(root: string, reads: string[]): BundleSource {
  const source = folderSource(root);
  return { ...source, read: (path, size) => (reads.push(path), source.read(path, size)) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cvf-lancedb-in-place-'));
  flat = await createIndex({ kind: 'flat', dim: DIM, metric: 'l2' });
  flat.addBatch(Int32Array.from({ length: N }, (_, i) => i), clusteredVectors(21, N, DIM));
  bundleDir = await writeIndexBundle();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a LanceDB case index in a bundle folder', () => {
  it('is verified and searched where it lies: no table file is read into memory, nothing is copied or written', async () => {
    const before = await snapshot(bundleDir);
    const reads: string[] = [];
    const bundle = await loadBundle(recordingSource(bundleDir, reads), { diskIndexInPlace: true });
    const tablePaths = Object.keys(bundle.manifest.files).filter((path) => path.startsWith(TABLE));
    expect(tablePaths.length).toBeGreaterThan(0);
    // The loader's only reads are the manifest, the description, cases.json and the signature probe.
    expect(reads.filter((path) => path.startsWith(TABLE))).toEqual([]);
    expect(tablePaths.filter((path) => bundle.files.has(path))).toEqual([]);
    expect([...bundle.inPlace!.paths].sort()).toEqual(tablePaths.sort());

    const stage = requireStage(bundle.manifest, 'index');
    const { index } = await STAGE_KINDS.index.load(stage, stageFiles(bundle, stage), bundle.inPlace);
    expect((index as LanceDbIndex).folder).toBe(`${bundleDir}/index.lancedb`);
    expect(await index.searchBatch(queries, { k: 5 })).toEqual(flat.searchBatch(queries, { k: 5 }));
    await expect(index.add(N, new Float32Array(DIM))).rejects.toMatchObject({ code: 'INDEX_INVALID_ARGUMENT', message: expect.stringContaining('read-only') });
    await (index as LanceDbIndex).close();
    expect(await snapshot(bundleDir)).toEqual(before);
  });

  it('refuses a tampered table file with the bundle digest error naming it', async () => {
    const copy = await writeIndexBundle();
    const bundle = await loadBundle(folderSource(copy), { diskIndexInPlace: true });
    const data = Object.keys(bundle.manifest.files).find((path) => path.startsWith(`${TABLE}data/`))!;
    const bytes = await readFile(join(copy, data));
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    await writeFile(join(copy, data), bytes);
    await expect(loadBundle(folderSource(copy), { diskIndexInPlace: true })).rejects.toMatchObject({ code: 'BUNDLE_CORRUPT', message: expect.stringContaining(`"${data}" does not match its checksum`) });
  });

  it('refuses a file the manifest does not list in the table folder (a later table version), and links', async () => {
    const extra = await writeIndexBundle();
    await writeFile(join(extra, `${TABLE}_versions/99.manifest`), 'not from the bundle');
    await expect(loadBundle(folderSource(extra), { diskIndexInPlace: true })).rejects.toMatchObject({ code: 'BUNDLE_CORRUPT', message: expect.stringContaining(`"${TABLE}_versions/99.manifest" is not listed`) });

    const linked = await writeIndexBundle();
    await symlink('/etc', join(linked, `${TABLE}elsewhere`));
    await expect(loadBundle(folderSource(linked), { diskIndexInPlace: true })).rejects.toMatchObject({ code: 'BUNDLE_CORRUPT', message: expect.stringContaining('symbolic link') });
  });

  it('read whole without diskIndexInPlace, and as a .tar: opened from a private copy, the same answers', async () => {
    const whole = await loadBundle(folderSource(bundleDir));
    expect(whole.inPlace).toBeUndefined();
    expect(Object.keys(whole.manifest.files).every((path) => whole.files.has(path))).toBe(true);

    // A bundle loaded in place still exports whole: its table is read (and checked) for the archive.
    const tar = join(dir, 'cases.tar');
    await writeBundleTar(await loadBundle(folderSource(bundleDir), { diskIndexInPlace: true }), tar);
    const fromTar = await loadBundle(await tarFileSource(tar), { diskIndexInPlace: true });
    expect(fromTar.inPlace).toBeUndefined();
    const stage = requireStage(fromTar.manifest, 'index');
    const { index } = await STAGE_KINDS.index.load(stage, stageFiles(fromTar, stage), fromTar.inPlace);
    expect((index as LanceDbIndex).folder.startsWith(bundleDir)).toBe(false);
    expect(await index.searchBatch(queries, { k: 5 })).toEqual(flat.searchBatch(queries, { k: 5 }));
    await (index as LanceDbIndex).close();
  });
});
