import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuDevice, isDeviceImage, openDataset, parsePipelineConfig, readDecodedInput } from '@cvf/core';
import { nodeFileAccess, sharpImageDecoder } from '@cvf/core/node';
import { parseDicom } from '../dicom/parse-dicom.js';
import { Tag } from '../dicom/tags.js';
import { DicomwebClient } from '../dicomweb/dicomweb-client.js';
import { PYDICOM_CORPUS } from '../node/reference-tools.js';
import { orthancUnavailable, startOrthanc, type OrthancServer } from '../node/testing/orthanc.js';
import { dicomSampleImage } from './dicom-sample-image.js';
import { openDicomwebDataset } from './dicomweb-dataset.js';
import { dicomDatasetOpeners } from './index.js';

const CORPUS = ['CT_small.dcm', 'MR_small.dcm', 'SC_rgb_small_odd.dcm', 'rtdose_1frame.dcm', 'SC_rgb_rle_2frame.dcm'];

const skip = orthancUnavailable();
let orthanc: OrthancServer | undefined;
let dir: string;
const files = new Map<string, ReturnType<typeof parseDicom>>();
const uid = (name: string, tag: string) => files.get(name)!.string(tag)!;

beforeAll(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'cvf-dicomweb-dataset-'));
  for (const name of CORPUS) files.set(name, parseDicom(new Uint8Array(await readFile(join(PYDICOM_CORPUS, name)))));
  orthanc = await startOrthanc();
  await new DicomwebClient({ url: orthanc.dicomWebUrl }).storeInstances([...files.values()].map((f) => f.fileBytes));
  // CT and MR by instance; both SC images by their (shared) study; the dose unlabelled.
  await writeFile(join(dir, 'by-sop.csv'), `sopInstanceUID,label\n${uid('CT_small.dcm', Tag.SOPInstanceUID)},ct\n${uid('MR_small.dcm', Tag.SOPInstanceUID)},mr\n`);
  await writeFile(join(dir, 'by-study.csv'), `studyInstanceUID,label\n${uid('SC_rgb_small_odd.dcm', Tag.StudyInstanceUID)},secondary\n`);
});

afterAll(async () => {
  await orthanc?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const context = () => ({ files: nodeFileAccess, decoder: sharpImageDecoder, baseDir: dir });

describe.skipIf(skip)('DICOMweb dataset against a real Orthanc', () => {
  it('a pipeline YAML defines the dataset by a QIDO-RS query; samples load over WADO-RS and equal the local files', async () => {
    const yaml = `version: 1
name: pacs
data:
  source:
    kind: dicomweb
    url: ${orthanc!.dicomWebUrl}
    query: { Modality: MR }
    labels: { path: by-sop.csv }
  splits: { train: 1, val: 0, test: 0 }
train: { earlyStopping: { enabled: false } }`;
    const config = parsePipelineConfig(yaml, join(dir, 'pacs.yaml'));
    const opened = await openDataset(config.data, { ...context(), openers: dicomDatasetOpeners() });
    expect(opened.train.map((s) => [s.id, s.label, s.patientId])).toEqual([[uid('MR_small.dcm', Tag.SOPInstanceUID), 'mr', '4MR1']]);
    const image = await readDecodedInput(new CpuDevice(), await opened.train[0]!.load());
    const local = await dicomSampleImage(files.get('MR_small.dcm')!);
    expect([...image.shape]).toEqual([64, 64, 1]);
    expect(image.data).toEqual(local.data);
  });

  it('labels by study, filters by modality, pages through QIDO-RS results, and sends the bearer token from tokenEnv', async () => {
    const seen: string[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      seen.push(`${new Headers(init?.headers).get('authorization')} ${String(input)}`);
      return fetch(input, init);
    };
    const source = {
      kind: 'dicomweb' as const,
      url: orthanc!.dicomWebUrl,
      query: {},
      labels: { path: 'by-study.csv', key: 'studyInstanceUID' as const, labelColumn: 'label' },
      modality: ['OT'],
      tokenEnv: 'CVF_PACS_TOKEN',
    };
    const dataset = await openDicomwebDataset(source, context(), { env: { CVF_PACS_TOKEN: 's3cret' }, fetch: recordingFetch, pageSize: 2 });
    expect(dataset.samples.map((s) => s.id).sort()).toEqual([uid('SC_rgb_small_odd.dcm', Tag.SOPInstanceUID), uid('SC_rgb_rle_2frame.dcm', Tag.SOPInstanceUID)].sort());
    expect(dataset.samples.every((s) => s.label === 'secondary')).toBe(true);
    // 5 instances in pages of 2: offsets 0, 2, 4.
    expect(seen.filter((s) => s.includes('/instances?')).map((s) => new URL(s.slice(s.lastIndexOf(' ') + 1)).searchParams.get('offset'))).toEqual(['0', '2', '4']);
    expect(seen.every((s) => s.startsWith('Bearer s3cret '))).toBe(true);
    const rgb = await dataset.samples.find((s) => s.id === uid('SC_rgb_rle_2frame.dcm', Tag.SOPInstanceUID))!.load();
    if (isDeviceImage(rgb)) throw new Error('a colour sample should be a host image');
    expect([rgb.dtype, ...rgb.shape]).toEqual(['u8', 100, 100, 3]);

    await expect(openDicomwebDataset(source, context(), { env: {} })).rejects.toMatchObject({ code: 'DICOMWEB_INVALID_REQUEST', message: expect.stringContaining('CVF_PACS_TOKEN') });
    await expect(openDicomwebDataset({ ...source, modality: ['CT'], tokenEnv: undefined }, context())).rejects.toMatchObject({ code: 'DATASET_EMPTY' });
  });
});
