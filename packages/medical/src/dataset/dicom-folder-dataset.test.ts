import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuDevice, isDeviceImage, openDataset, openUnlabelled, parsePipelineConfig, readDecodedInput, type OpenedDataset, type Sample } from '@cvf/core';
import { nodeFileAccess, sharpImageDecoder } from '@cvf/core/node';
import { decodeFrames } from '../dicom/decode-frames.js';
import { parseDicom } from '../dicom/parse-dicom.js';
import { PYDICOM_CORPUS, referenceToolsSkipReason, runPythonJson } from '../node/reference-tools.js';
import { openDicomFolderDataset } from './dicom-folder-dataset.js';
import { dicomDatasetOpeners, dicomUnlabelledOpeners } from './index.js';

/** A sample's pixels on the host, as thumbnails read them (device images × 255). */
async function hostImage(sample: Sample) {
  return readDecodedInput(new CpuDevice(), await sample.load());
}

const CT = '1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322';
const MR = '1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457';
const RGB = '1.2.276.0.7230010.3.1.4.8323329.1099.1521494048.423534';
const DOSE = '1.9.999.999.99.9.9999.9999.20030818153516';

let dir: string;
const context = () => ({ files: nodeFileAccess, decoder: sharpImageDecoder, baseDir: join(dir, 'configs') });

function dataSection(yaml: string, preprocess = '') {
  return parsePipelineConfig(`version: 1\nname: t\ndata:\n${yaml}\n${preprocess}`, join(dir, 'configs', 'p.yaml'));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cvf-dicom-folder-'));
  await mkdir(join(dir, 'configs'));
  await mkdir(join(dir, 'dicom', 'ct', 'series1'), { recursive: true });
  await mkdir(join(dir, 'dicom', 'mr'), { recursive: true });
  await mkdir(join(dir, 'dicom', 'other'), { recursive: true });
  // DICOM files usually have no extension; a README and a plan without pixels sit beside them.
  await copyFile(join(PYDICOM_CORPUS, 'CT_small.dcm'), join(dir, 'dicom', 'ct', 'series1', 'IM0001'));
  await copyFile(join(PYDICOM_CORPUS, 'MR_small.dcm'), join(dir, 'dicom', 'mr', 'IM0001'));
  await copyFile(join(PYDICOM_CORPUS, 'SC_rgb_small_odd.dcm'), join(dir, 'dicom', 'other', 'rgb.dcm'));
  await copyFile(join(PYDICOM_CORPUS, 'rtdose_1frame.dcm'), join(dir, 'dicom', 'other', 'dose.dcm'));
  await copyFile(join(PYDICOM_CORPUS, 'rtplan.dcm'), join(dir, 'dicom', 'other', 'plan.dcm'));
  await writeFile(join(dir, 'dicom', 'README.txt'), 'exported from the PACS\n');
  await writeFile(join(dir, 'labels.csv'), `sopInstanceUID,label\n${CT},nodule\n${MR},normal\n${RGB},normal\n`);
  await writeFile(join(dir, 'by-path.csv'), 'path,diagnosis\n"ct/series1/IM0001",nodule\nother/rgb.dcm,normal\n');
});

afterAll(() => rm(dir, { recursive: true, force: true }));

const all = (data: OpenedDataset) => [...data.train, ...data.val, ...data.test];

describe('DICOM folder dataset', () => {
  it('opens through openDataset: one sample per labelled instance, PatientID and StudyInstanceUID from the files', async () => {
    const { data } = dataSection('  source: { kind: dicom-folder, root: ../dicom, labels: { path: ../labels.csv } }\n  splits: { train: 0.5, val: 0.5, test: 0, groupBy: patientId }');
    const opened = await openDataset(data, { ...context(), openers: dicomDatasetOpeners() });
    expect(opened.classes).toEqual(['nodule', 'normal']);
    const samples = all(opened).sort((a, b) => a.id.localeCompare(b.id));
    expect(samples.map((s) => [s.id, s.label, s.patientId])).toEqual([
      [CT, 'nodule', '1CT1'],
      [MR, 'normal', '4MR1'],
      [RGB, 'normal', 'ID1'],
    ].sort((a, b) => a[0]!.localeCompare(b[0]!)));
    expect(samples.find((s) => s.id === CT)!.studyUID).toBe(parseDicom(new Uint8Array(await readFile(join(PYDICOM_CORPUS, 'CT_small.dcm')))).string('0020000D'));
  });

  it('says what it left out and why; filters by modality', async () => {
    const source = { kind: 'dicom-folder' as const, root: '../dicom', labels: { path: '../labels.csv', key: 'sopInstanceUID' as const, labelColumn: 'label' }, modality: ['CT', 'MR'] };
    const dataset = await openDicomFolderDataset(source, context());
    expect(dataset.samples.map((s) => s.id).sort()).toEqual([CT, MR].sort());
    expect(dataset.skipped).toHaveLength(4);
    expect(dataset.skipped).toEqual(
      expect.arrayContaining([
        { path: 'README.txt', reason: 'not-dicom' },
        { path: 'other/dose.dcm', reason: 'modality' },
        { path: 'other/plan.dcm', reason: 'no-pixel-data' },
        { path: 'other/rgb.dcm', reason: 'modality' },
      ]),
    );
    const unlabelled = await openDicomFolderDataset({ ...source, modality: undefined }, context());
    expect(unlabelled.skipped).toContainEqual({ path: 'other/dose.dcm', reason: 'unlabelled' });
  });

  it('opens an unlabelled folder for pseudo-labelling: every image instance of the modalities, no labels CSV', async () => {
    const { data } = dataSection('  source: { kind: dicom-folder, root: ../dicom, labels: { path: ../labels.csv } }\n  unlabelled: { kind: dicom-folder, root: ../dicom, modality: [CT, MR, OT, RTDOSE] }');
    const pool = await openUnlabelled(data.unlabelled!, { ...context(), openers: dicomUnlabelledOpeners(), seed: 1 });
    // The plan has no pixels and the README is not DICOM; the dose grid is an image without a label.
    expect(pool.map((s) => s.id).sort()).toEqual([CT, MR, RGB, DOSE].sort());
    expect(pool.every((s) => s.label === '' && s.classIndex === -1)).toBe(true);
    // A grayscale sample is what decodeInput gives: the windowed frame, planar on the Device.
    const ct = await pool.find((s) => s.id === CT)!.load();
    expect(isDeviceImage(ct) && { shape: ct.planar.shape, range: ct.range }).toEqual({ shape: [1, 128, 128], range: 'unit' });
    const onlyCt = dataSection('  source: { kind: dicom-folder, root: ../dicom, labels: { path: ../labels.csv } }\n  unlabelled: { kind: dicom-folder, root: ../dicom, modality: [CT], limit: 1 }');
    expect((await openUnlabelled(onlyCt.data.unlabelled!, { ...context(), openers: dicomUnlabelledOpeners(), seed: 1 })).map((s) => s.id)).toEqual([CT]);
  });

  it('labels by path relative to the root, with a named label column', async () => {
    const source = { kind: 'dicom-folder' as const, root: '../dicom', labels: { path: '../by-path.csv', key: 'path' as const, labelColumn: 'diagnosis' } };
    const dataset = await openDicomFolderDataset(source, context());
    expect(dataset.samples.map((s) => [s.id, s.label]).sort()).toEqual([[CT, 'nodule'], [RGB, 'normal']].sort());
  });

  it.skipIf(referenceToolsSkipReason() !== undefined)('loads a CT slice windowed as preprocess.window says (ct-lung), as pydicom computes it, on 0..255', async () => {
    const config = dataSection('  source: { kind: dicom-folder, root: ../dicom, labels: { path: ../labels.csv } }', 'preprocess:\n  window: { preset: ct-lung }');
    const opened = await openDataset(config.data, { ...context(), openers: dicomDatasetOpeners({ window: config.preprocess.window }) });
    const image = await hostImage(all(opened).find((s) => s.id === CT)!);
    expect([image.dtype, ...image.shape]).toEqual(['f32', 128, 128, 1]);
    // DICOM PS3.3 C.11.2.1.2.1 LINEAR window on rescaled values, c = −600, w = 1500.
    const want = runPythonJson<number[]>(
      `import sys, json, numpy as np, pydicom
d = pydicom.dcmread(sys.argv[1]); x = d.pixel_array * float(d.RescaleSlope) + float(d.RescaleIntercept)
c, w = -600.0, 1500.0
y = np.clip((x - (c - 0.5)) / (w - 1) + 0.5, 0, 1) * 255
print(json.dumps(y.ravel().tolist()))`,
      [join(PYDICOM_CORPUS, 'CT_small.dcm')],
    );
    const worst = want.reduce((m, v, i) => Math.max(m, Math.abs(v - image.data[i]!)), 0);
    expect(worst).toBeLessThan(1e-3);
  });

  it('fromFile: false ignores the file window (min–max); colour images come back as their RGB samples', async () => {
    const config = dataSection('  source: { kind: dicom-folder, root: ../dicom, labels: { path: ../labels.csv } }', 'preprocess:\n  window: { fromFile: false }');
    const opened = await openDataset(config.data, { ...context(), openers: dicomDatasetOpeners({ window: config.preprocess.window }) });
    const mr = await hostImage(all(opened).find((s) => s.id === MR)!);
    expect([Math.min(...mr.data), Math.max(...mr.data)]).toEqual([0, 255]);
    const rgb = await all(opened).find((s) => s.id === RGB)!.load();
    if (isDeviceImage(rgb)) throw new Error('a colour sample should be a host image');
    expect([rgb.dtype, ...rgb.shape]).toEqual(['u8', 3, 3, 3]);
    const decoded = await decodeFrames(parseDicom(new Uint8Array(await readFile(join(PYDICOM_CORPUS, 'SC_rgb_small_odd.dcm')))));
    expect(rgb.data).toEqual(decoded.data[0]);
  });

  it('a corrupt DICOM file is an error naming it; conflicting labels and empty results are errors', async () => {
    const bad = join(dir, 'bad');
    await mkdir(bad);
    const ct = await readFile(join(PYDICOM_CORPUS, 'CT_small.dcm'));
    await writeFile(join(bad, 'cut.dcm'), ct.subarray(0, 1200));
    const source = { kind: 'dicom-folder' as const, root: '../bad', labels: { path: '../labels.csv', key: 'sopInstanceUID' as const, labelColumn: 'label' } };
    await expect(openDicomFolderDataset(source, context())).rejects.toMatchObject({ code: 'DATASET_MALFORMED', message: expect.stringContaining('bad/cut.dcm') });
    await writeFile(join(dir, 'conflict.csv'), `sopInstanceUID,label\n${CT},nodule\n${CT},normal\n`);
    await expect(openDicomFolderDataset({ ...source, root: '../dicom', labels: { ...source.labels, path: '../conflict.csv' } }, context())).rejects.toMatchObject({
      code: 'DATASET_MALFORMED',
      message: expect.stringMatching(/conflict\.csv:3: sopInstanceUID .* is labelled "normal", but "nodule" on line 2/),
    });
    await writeFile(join(dir, 'none.csv'), 'sopInstanceUID,label\n1.2.3,normal\n');
    await expect(openDicomFolderDataset({ ...source, root: '../dicom', labels: { ...source.labels, path: '../none.csv' } }, context())).rejects.toMatchObject({ code: 'DATASET_EMPTY' });
  });
});
