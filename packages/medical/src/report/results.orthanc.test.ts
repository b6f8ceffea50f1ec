import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DicomwebClient } from '../dicomweb/dicomweb-client.js';
import { DicomJsonTag, dicomJsonString } from '../dicomweb/dicom-json.js';
import { decodeFrames } from '../dicom/decode-frames.js';
import { parseDicom } from '../dicom/parse-dicom.js';
import { Tag } from '../dicom/tags.js';
import { orthancUnavailable, startOrthanc, type OrthancServer } from '../node/testing/orthanc.js';
import { createCtImage } from '../writer/ct-image.js';
import { writeDicom } from '../writer/write-dicom.js';
import { readPredictionReport } from './read-prediction-report.js';
import { createResultObjects } from './result-objects.js';
import { burnSaliencyOverlay } from './saliency-overlay.js';
import { storeResultObjects } from './store-results.js';

const skip = orthancUnavailable();
let orthanc: OrthancServer | undefined;
let client: DicomwebClient;

beforeAll(async () => {
  if (skip) return;
  orthanc = await startOrthanc();
  client = new DicomwebClient({ url: orthanc.dicomWebUrl });
});

afterAll(async () => {
  await orthanc?.stop();
});

const rows = 12;
const columns = 10;
const sourceBytes = writeDicom(
  createCtImage({
    rows,
    columns,
    pixels: Int16Array.from({ length: rows * columns }, (_, i) => (i % columns) * 50),
    rescale: { slope: 1, intercept: -1024 },
    pixelSpacing: [0.8, 0.8],
    sliceThickness: 2,
    position: [0, 0, 0],
    patientId: 'PACS-1',
    patientName: 'Roe^Richard',
    studyDescription: 'CT chest',
  }),
);
const source = parseDicom(sourceBytes);
const image = { data: Float32Array.from({ length: rows * columns }, (_, i) => (i % columns) / columns), channels: 1, height: rows, width: columns };
const map = { map: Float32Array.from({ length: rows * columns }, (_, i) => Math.floor(i / columns) - 4), height: rows, width: columns };
const content = {
  finding: { label: 'consolidation', probability: 0.91 },
  decision: { outcome: 'positive' as const, threshold: 0.4, reasons: ['Positive (consolidation) at the 95%-sensitivity point (p 0.91 ≥ 0.40)'] },
  algorithm: { name: 'chest-demo', version: '2', configHash: 'feedbeef' },
};

describe.skipIf(skip)('results back to a real Orthanc (STOW-RS, then QIDO-RS and WADO-RS)', () => {
  it('stores the SR and the overlay capture, and finds both under the source study', async () => {
    expect((await client.storeInstances([sourceBytes])).failed).toEqual([]);
    const results = await createResultObjects({ source, ...content, saliency: { image, map } });
    const stored = await storeResultObjects(client, results);
    expect(stored.stored).toHaveLength(2);

    const study = source.string(Tag.StudyInstanceUID)!;
    expect((await client.searchStudies()).map((s) => dicomJsonString(s, DicomJsonTag.StudyInstanceUID))).toEqual([study]);
    const series = await client.searchSeries({}, { studyInstanceUID: study });
    const modalities = series.map((s) => dicomJsonString(s, DicomJsonTag.Modality)).sort();
    expect(modalities).toEqual(['CT', 'OT', 'SR']);
    const instances = await client.searchInstances({}, { studyInstanceUID: study });
    expect(instances).toHaveLength(3);

    const find = (modality: string) => series.find((s) => dicomJsonString(s, DicomJsonTag.Modality) === modality)!;
    const uidsOf = async (modality: string) => {
      const seriesInstanceUID = dicomJsonString(find(modality), DicomJsonTag.SeriesInstanceUID)!;
      const [instance] = await client.searchInstances({}, { studyInstanceUID: study, seriesInstanceUID });
      return { studyInstanceUID: study, seriesInstanceUID, sopInstanceUID: dicomJsonString(instance!, DicomJsonTag.SOPInstanceUID)! };
    };

    const sr = parseDicom(await client.retrieveInstance(await uidsOf('SR')));
    const report = readPredictionReport(sr);
    expect(report.finding).toEqual(content.finding);
    expect(report.decision).toEqual(content.decision);
    expect(report.algorithm).toEqual(content.algorithm);
    expect(report.evidence).toEqual([{ studyInstanceUID: study, seriesInstanceUID: source.string(Tag.SeriesInstanceUID), sopInstanceUID: source.string(Tag.SOPInstanceUID) }]);
    expect(sr.string(Tag.PatientID)).toBe('PACS-1');

    const captureUids = await uidsOf('OT');
    expect(report.images[1]).toEqual({ sopClassUID: '1.2.840.10008.5.1.4.1.1.7', sopInstanceUID: captureUids.sopInstanceUID, saliency: true });
    const capture = parseDicom(await client.retrieveInstance(captureUids));
    expect(capture.string('00280301')).toBe('YES');
    expect([...(await decodeFrames(capture)).data[0]!]).toEqual([...burnSaliencyOverlay(image, map)]);
  });

  it('a store the server refuses is DICOMWEB_STORE_FAILED or an HTTP error, never a silent success', async () => {
    // A report claiming a study other than the one it is posted to: STOW-RS refuses it (PS3.18 10.5).
    const results = await createResultObjects({ source, ...content });
    const wrongStudy = { ...results, source: { ...results.source, studyInstanceUID: '1.2.3.4.5.6.7' } };
    await expect(storeResultObjects(client, wrongStudy)).rejects.toMatchObject({ code: expect.stringMatching(/^DICOMWEB_(STORE_FAILED|HTTP_ERROR)$/) });
  });
});
