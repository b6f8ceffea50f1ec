import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../config/load.js';
import { encodePng } from '../image/encode-png.js';
import { imageTensor } from '../image/image-tensor.js';
import { loadPipelineConfigFile } from '../node/config-file.js';
import { sharpImageDecoder } from '../node/image-decode-sharp.js';
import { nodeFileAccess } from '../node/node-file-access.js';
import { hostImage } from './testing/host-image.js';
import type { OpenedDataset } from './dataset.js';
import { openDataset } from './open-dataset.js';

let dir: string;
const context = () => ({ files: nodeFileAccess, decoder: sharpImageDecoder, baseDir: join(dir, 'configs') });

/** A pipeline YAML in <dir>/configs/ with this `data` section (written as YAML flow text). */
function config(data: string) {
  return parsePipelineConfig(`version: 1\nname: t\ndata:\n${data}\n`, join(dir, 'configs', 'p.yaml'));
}

/** A 2×3 gray PNG whose pixels all equal `value`, so a loaded sample says which file it was. */
async function png(path: string, value: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await encodePng(imageTensor('u8', { height: 2, width: 3, channels: 1 }, new Uint8Array(6).fill(value))));
}

const all = (d: OpenedDataset) => [...d.train, ...d.val, ...d.test];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cvf-data-'));
  await mkdir(join(dir, 'configs'));
  // folder per class, with a file of another extension and a hidden file that are not images of the set
  for (let i = 0; i < 10; i++) await png(join(dir, 'folder', 'cat', `c${i}.png`), i);
  for (let i = 0; i < 10; i++) await png(join(dir, 'folder', 'dog', 'nested', `d${i}.PNG`), 100 + i);
  await writeFile(join(dir, 'folder', 'dog', 'notes.txt'), 'not an image');
  await writeFile(join(dir, 'folder', 'cat', '.hidden.png'), 'x');
  // manifests: 20 patients × 2 images; names with commas and quotes
  const rows = ['path,label,patientId,split'];
  const jsonl: string[] = [];
  for (let p = 0; p < 20; p++) {
    for (let k = 0; k < 2; k++) {
      const name = `img ${p},${k} "q".png`;
      await png(join(dir, 'images', name), 2 * p + k);
      const label = p % 4 === 0 ? 'nodule' : 'normal';
      rows.push(`"${name.replaceAll('"', '""')}",${label},P${p},${p === 0 ? 'test' : ''}`);
      jsonl.push(JSON.stringify({ file: name, y: label, patientId: `P${p}` }));
    }
  }
  await writeFile(join(dir, 'images', 'manifest.csv'), rows.join('\r\n') + '\r\n');
  await writeFile(join(dir, 'm.jsonl'), jsonl.join('\n'));
});

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('openDataset', () => {
  it('folder per class: labels from folder names, paths relative to the config folder, images decoded on load', async () => {
    const data = await openDataset(config('  source: { kind: folder, root: ../folder }\n  splits: { train: 0.5, val: 0.5, test: 0 }').data, context());
    expect(data.classes).toEqual(['cat', 'dog']);
    expect(all(data).map((s) => s.id).sort()).toEqual([...Array.from({ length: 10 }, (_, i) => `cat/c${i}.png`), ...Array.from({ length: 10 }, (_, i) => `dog/nested/d${i}.PNG`)].sort());
    expect(data.train.filter((s) => s.label === 'cat').length).toBe(5);
    const dog = all(data).find((s) => s.id === 'dog/nested/d7.PNG')!;
    expect(dog.classIndex).toBe(1);
    const image = await hostImage(dog);
    expect([...image.shape]).toEqual([2, 3, 1]);
    expect(Array.from(image.data)).toEqual(new Array(6).fill(107));
  });

  it('CSV manifest with quoted paths and patients: no patient in two splits, fixed split kept', async () => {
    const data = await openDataset(
      config('  source: { kind: csv, path: ../images/manifest.csv }\n  classes: [normal, nodule]\n  splits: { train: 0.6, val: 0.2, test: 0.2, seed: 3, groupBy: patientId }').data,
      context(),
    );
    expect(data.classes).toEqual(['normal', 'nodule']);
    expect(all(data)).toHaveLength(40);
    const splitOfPatient = new Map<string, string>();
    for (const [name, samples] of Object.entries({ train: data.train, val: data.val, test: data.test })) {
      for (const s of samples) {
        expect(splitOfPatient.get(s.patientId!) ?? name, s.patientId).toBe(name);
        splitOfPatient.set(s.patientId!, name);
      }
    }
    expect(splitOfPatient.get('P0')).toBe('test');
    expect(data.train.length).toBe(24);
    const sample = all(data).find((s) => s.id === 'img 3,1 "q".png')!;
    expect(sample.classIndex).toBe(0);
    expect((await hostImage(sample)).data[0]).toBe(7);
  });

  it('JSONL manifest with renamed fields and an explicit root', async () => {
    const yaml = '  source: { kind: jsonl, path: ../m.jsonl, root: ../images, columns: { path: file, label: y } }\n  limit: 10';
    const data = await openDataset(config(yaml).data, context());
    expect(all(data)).toHaveLength(10);
    expect(data.classes).toEqual(['nodule', 'normal']);
    const first = all(data)[0]!;
    expect((await hostImage(first)).shape).toEqual([2, 3, 1]);
  });

  it('errors name the problem: unknown label, missing file, missing reader', async () => {
    await expect(openDataset(config('  source: { kind: csv, path: ../images/manifest.csv }\n  classes: [normal, other]').data, context())).rejects.toMatchObject({
      code: 'DATASET_LABEL_UNKNOWN',
      message: expect.stringContaining('label "nodule" of "img 0,0 "q".png" is not one of data.classes (normal, other)'),
    });
    await expect(openDataset(config('  source: { kind: csv, path: nowhere.csv }').data, context())).rejects.toMatchObject({
      code: 'FILE_UNREADABLE',
      message: expect.stringContaining('configs/nowhere.csv'),
    });
    const dicom = config('  source: { kind: dicom-folder, root: ../x, labels: { path: l.csv } }').data;
    await expect(openDataset(dicom, context())).rejects.toMatchObject({ code: 'DATASET_SOURCE_UNSUPPORTED', message: expect.stringContaining('"dicom-folder"') });
  });
});

const FASHION_CONFIG = join(import.meta.dirname, '../../../../configs/fashion-mnist/train.yaml');
const noFashion = existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz') ? null : 'Fashion-MNIST not installed (dataset-fashion-mnist)';
if (noFashion) console.warn(`skipped: ${noFashion}`);

it.skipIf(noFashion !== null)('the Fashion-MNIST pipeline opens: 54 000 train / 6 000 val stratified per class, the 10 000 t10k images as test', async () => {
  const config = await loadPipelineConfigFile(FASHION_CONFIG);
  const data = await openDataset(config.data, { files: nodeFileAccess, decoder: sharpImageDecoder, baseDir: dirname(FASHION_CONFIG) });
  expect(data.classes).toEqual(config.data.classes);
  expect([data.train.length, data.val.length, data.test.length]).toEqual([54000, 6000, 10000]);
  for (let c = 0; c < 10; c++) expect(data.val.filter((s) => s.classIndex === c).length).toBe(600);
  const first = data.test[0]!;
  expect([first.id, first.label]).toEqual(['t10k-images-idx3-ubyte.gz#0', 'Ankle boot']);
  const image = await hostImage(first);
  expect([image.dtype, ...image.shape]).toEqual(['u8', 28, 28, 1]);
});
