import { createSecondaryCapture, DicomwebClient, makeDemoCtSet, parseDicom, Tag, writeDicom } from '@cvf/medical';
import { orthancUnavailable, startOrthanc, type OrthancServer } from '@cvf/medical/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dicomwebInstancesSchema, dicomwebSeriesListSchema, dicomwebStudiesSchema, dicomwebUrls } from '../../src/pages/viewer/dicomweb-schema.js';
import { startStudioFixture, type StudioFixture } from '../testing/studio-fixture.js';

// The viewer's DICOMweb proxy against a real Orthanc: QIDO-RS lists and WADO-RS instances come
// through the studio's own origin, byte for byte as Orthanc stores them.
const skip = orthancUnavailable();
let orthanc: OrthancServer | undefined;
let studio: StudioFixture | undefined;
const ct = makeDemoCtSet({ patients: 1, slices: 3, size: 32, seed: 5 }).files.map((f) => f.bytes);
const sc = writeDicom(createSecondaryCapture({ rows: 4, columns: 4, pixels: new Uint8Array(16).fill(9), studyDescription: 'one SC', modality: 'OT' }));

beforeAll(async () => {
  if (skip) return;
  orthanc = await startOrthanc();
  const stored = await new DicomwebClient({ url: orthanc.dicomWebUrl }).storeInstances([...ct, sc]);
  expect(stored.failed).toEqual([]);
  studio = await startStudioFixture({ dicomweb: orthanc.dicomWebUrl });
}, 120_000);

afterAll(async () => {
  await studio?.close();
  await orthanc?.stop();
});

const get = async (path: string) => fetch(`${studio!.base}${path}`);

describe.skipIf(skip)('DICOMweb proxy over a real Orthanc', () => {
  const first = parseDicom(ct[0]!);
  const study = first.string(Tag.StudyInstanceUID)!;
  const series = first.string(Tag.SeriesInstanceUID)!;

  it('lists the studies (QIDO-RS) with their modalities and counts, and no patient identity', async () => {
    const response = await get(dicomwebUrls.studies());
    expect(response.status).toBe(200);
    const { studies } = dicomwebStudiesSchema.parse(await response.json());
    expect(studies).toHaveLength(2);
    expect(studies.find((s) => s.studyInstanceUID === study)).toMatchObject({ modalities: ['CT'], series: 1, instances: 3 });
    expect(JSON.stringify(studies)).not.toContain(first.string(Tag.PatientName)!);
  });

  it('lists the series of a study and the instances of a series, in Instance Number order', async () => {
    const { series: list } = dicomwebSeriesListSchema.parse(await (await get(dicomwebUrls.series(study))).json());
    expect(list).toEqual([expect.objectContaining({ seriesInstanceUID: series, modality: 'CT', instances: 3 })]);
    const { instances } = dicomwebInstancesSchema.parse(await (await get(dicomwebUrls.instances(study, series))).json());
    const expected = ct.map((bytes) => parseDicom(bytes)).sort((a, b) => a.number(Tag.InstanceNumber)! - b.number(Tag.InstanceNumber)!);
    expect(instances.map((i) => i.sopInstanceUID)).toEqual(expected.map((f) => f.string(Tag.SOPInstanceUID)));
  });

  it('retrieves an instance (WADO-RS) as the Part 10 file Orthanc stored, pixels included', async () => {
    const sop = first.string(Tag.SOPInstanceUID)!;
    const response = await get(dicomwebUrls.instance(study, series, sop));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/dicom');
    const retrieved = parseDicom(new Uint8Array(await response.arrayBuffer()));
    expect(retrieved.string(Tag.SOPInstanceUID)).toBe(sop);
    expect(retrieved.bytes(Tag.PixelData)).toEqual(first.bytes(Tag.PixelData));
  });

  it('refuses an instance UID that is not a UID, and answers 404 for an unknown one', async () => {
    const bad = await get(dicomwebUrls.instance(study, series, '1.2.x; DROP'));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('DICOMWEB_INVALID_REQUEST');
    expect((await get(dicomwebUrls.instance(study, series, '1.2.3.4.5'))).status).toBeGreaterThanOrEqual(400);
  });
});

describe.skipIf(skip)('without --dicomweb', () => {
  it('the proxy answers NOT_FOUND, saying how to configure it', async () => {
    const plain = await startStudioFixture();
    try {
      const response = await fetch(`${plain.base}${dicomwebUrls.studies()}`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain('--dicomweb URL');
    } finally {
      await plain.close();
    }
  });
});
