import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../config/load.js';
import { CvfError } from '../errors.js';
import { encodePng } from '../image/encode-png.js';
import { imageTensor } from '../image/image-tensor.js';
import { sharpImageDecoder } from '../node/image-decode-sharp.js';
import { nodeFileAccess } from '../node/node-file-access.js';
import { openUnlabelled } from './open-unlabelled.js';
import { hostImage } from './testing/host-image.js';

let dir: string;
const context = () => ({ files: nodeFileAccess, decoder: sharpImageDecoder, baseDir: dir, seed: 3 });
const unlabelledOf = (yaml: string) =>
  parsePipelineConfig(`version: 1\nname: t\ndata:\n  source: { kind: folder, root: x }\n  unlabelled: ${yaml}\n`, join(dir, 'p.yaml')).data.unlabelled!;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cvf-unlabelled-'));
  // An IDX file of five 2×2 images whose pixels all equal their index.
  const header = [0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 2];
  await writeFile(join(dir, 'pool.idx'), Uint8Array.from([...header, ...Array.from({ length: 20 }, (_, i) => Math.floor(i / 4))]));
  await mkdir(join(dir, 'scans', 'day2'), { recursive: true });
  for (const [name, value] of [['a.png', 10], ['day2/b.PNG', 20]] as const) {
    await writeFile(join(dir, 'scans', name), await encodePng(imageTensor('u8', { height: 2, width: 2, channels: 1 }, new Uint8Array(4).fill(value))));
  }
  await writeFile(join(dir, 'scans', 'notes.txt'), 'not an image');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('openUnlabelled', () => {
  it('reads an IDX images file without labels: class index −1, ids by position, a seeded limit', async () => {
    const pool = await openUnlabelled(unlabelledOf('{ kind: idx, images: pool.idx }'), context());
    expect(pool.map((s) => [s.id, s.label, s.classIndex])).toEqual([0, 1, 2, 3, 4].map((i) => [`pool.idx#${i}`, '', -1]));
    expect(Array.from((await hostImage(pool[3]!)).data)).toEqual([3, 3, 3, 3]);
    const limited = await openUnlabelled(unlabelledOf('{ kind: idx, images: pool.idx, limit: 2 }'), context());
    expect(limited).toHaveLength(2);
    expect((await openUnlabelled(unlabelledOf('{ kind: idx, images: pool.idx, limit: 2 }'), context())).map((s) => s.id)).toEqual(limited.map((s) => s.id));
  });

  it('reads a folder tree of images by extension, case-insensitively', async () => {
    const pool = await openUnlabelled(unlabelledOf('{ kind: images, root: scans }'), context());
    expect(pool.map((s) => s.id)).toEqual(['a.png', 'day2/b.PNG']);
    expect((await hostImage(pool[1]!)).data[0]).toBe(20);
  });

  it('an empty pool and a kind without a reader are errors', async () => {
    const empty = openUnlabelled(unlabelledOf('{ kind: images, root: scans, extensions: [.jpg] }'), context());
    await expect(empty).rejects.toMatchObject({ code: 'DATASET_EMPTY' });
    const dicom = openUnlabelled(unlabelledOf('{ kind: dicom-folder, root: scans }'), context());
    await expect(dicom).rejects.toBeInstanceOf(CvfError);
    await expect(dicom).rejects.toMatchObject({ code: 'DATASET_SOURCE_UNSUPPORTED' });
  });

  it('the knn head cannot be self-trained', () => {
    expect(() => parsePipelineConfig('version: 1\nname: t\ndata:\n  source: { kind: folder, root: x }\n  unlabelled: { kind: images, root: y }\nmodel: { head: knn }\n', join(dir, 'p.yaml'))).toThrow(/knn head is not trained/);
  });
});
