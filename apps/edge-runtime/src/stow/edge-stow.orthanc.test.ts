import { DicomJsonTag, dicomJsonString, DicomwebClient, parseDicom, readPredictionReport, Tag } from '@cvf/medical';
import { orthancUnavailable, startOrthanc, type OrthancServer } from '@cvf/medical/node';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeServer } from '../edge-server.js';
import { createLogger } from '../logger.js';
import type { EdgeMetrics } from '../metrics.js';
import { patternDicom, patternPng } from '../testing/test-images.js';
import { trainTestModel } from '../testing/train-test-model.js';

// `cvf serve --stow URL`: the SR of each answered DICOM prediction goes to the PACS after the
// answer; a PACS that cannot take it is counted and logged, and the request is answered all the same.

const skip = orthancUnavailable();
const silent = createLogger({ level: 'silent' });
let dir: string;
let store: string;
let orthanc: OrthancServer | undefined;

beforeAll(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'cvf-edge-stow-'));
  store = (await trainTestModel(dir, { name: 'patterns', alias: 'production' })).store;
  orthanc = await startOrthanc();
});
afterAll(async () => {
  await orthanc?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function predict(url: string, files: { name: string; bytes: Uint8Array<ArrayBuffer>; type: string }[]): Promise<{ status: number; body: any }> {
  const data = new FormData();
  for (const f of files) data.append('file', new Blob([f.bytes], { type: f.type }), f.name);
  const response = await fetch(`${url}/v1/models/patterns/predict`, { method: 'POST', body: data });
  return { status: response.status, body: await response.json() };
}

async function counter(metric: EdgeMetrics['stowed'] | EdgeMetrics['stowFailures']): Promise<Record<string, number>> {
  return Object.fromEntries((await metric.get()).values.map((v) => [Object.values(v.labels).join('/'), v.value]));
}

describe.skipIf(skip)('edge runtime --stow against a real Orthanc', () => {
  it('stores the SR of each answered DICOM prediction under its source study (PNGs have none)', async () => {
    const dicom = patternDicom(2, { sopInstanceUID: '2.25.4242' });
    const source = parseDicom(dicom);
    const client = new DicomwebClient({ url: orthanc!.dicomWebUrl });
    expect((await client.storeInstances([dicom])).failed).toEqual([]);

    const server = await createEdgeServer({ models: ['patterns@production'], store, logger: silent, decodeWorkers: 0, stow: orthanc!.dicomWebUrl });
    const { status, body } = await predict(server.url, [
      { name: 'scan.dcm', bytes: dicom, type: 'application/dicom' },
      { name: 'photo.png', bytes: await patternPng(0), type: 'image/png' },
    ]);
    expect(status, JSON.stringify(body)).toBe(200);
    // Closing drains the queue of SRs still to send.
    await server.close();
    expect(await counter(server.metrics.stowed)).toEqual({ patterns: 1 });
    expect(await counter(server.metrics.stowFailures)).toEqual({});

    const study = source.string(Tag.StudyInstanceUID)!;
    const series = await client.searchSeries({}, { studyInstanceUID: study });
    expect(series.map((s) => dicomJsonString(s, DicomJsonTag.Modality)).sort()).toEqual(['OT', 'SR']);
    const srSeries = dicomJsonString(series.find((s) => dicomJsonString(s, DicomJsonTag.Modality) === 'SR')!, DicomJsonTag.SeriesInstanceUID)!;
    const [instance] = await client.searchInstances({}, { studyInstanceUID: study, seriesInstanceUID: srSeries });
    const sr = parseDicom(await client.retrieveInstance({ studyInstanceUID: study, seriesInstanceUID: srSeries, sopInstanceUID: dicomJsonString(instance!, DicomJsonTag.SOPInstanceUID)! }));
    const report = readPredictionReport(sr);
    const answered = body.predictions[0];
    expect(report.finding.label).toBe(answered.decision.label);
    expect(report.finding.probability).toBeCloseTo(answered.probabilities[answered.decision.classIndex], 12);
    expect(report.decision).toMatchObject({ outcome: answered.decision.outcome, reasons: [answered.decision.summary] });
    expect(report.algorithm).toEqual({ name: 'patterns', version: '1', configHash: answered.decision.model.configHash });
    expect(report.evidence).toEqual([{ studyInstanceUID: study, seriesInstanceUID: source.string(Tag.SeriesInstanceUID), sopInstanceUID: '2.25.4242' }]);
    expect(sr.string(Tag.PatientID)).toBe('TEST-PATIENT-7');
  });

  it('with stowCapture, the overlay capture goes too, and the SR names it in its image library', async () => {
    const dicom = patternDicom(0, { sopInstanceUID: '2.25.4444' });
    const source = parseDicom(dicom);
    const client = new DicomwebClient({ url: orthanc!.dicomWebUrl });
    expect((await client.storeInstances([dicom])).failed).toEqual([]);
    const server = await createEdgeServer({ models: ['patterns@production'], store, logger: silent, decodeWorkers: 0, stow: orthanc!.dicomWebUrl, stowCapture: true });
    const { status, body } = await predict(server.url, [{ name: 'scan.dcm', bytes: dicom, type: 'application/dicom' }]);
    expect(status, JSON.stringify(body)).toBe(200);
    await server.close();
    expect(await counter(server.metrics.stowFailures)).toEqual({});

    const study = source.string(Tag.StudyInstanceUID)!;
    const series = await client.searchSeries({}, { studyInstanceUID: study });
    expect(series).toHaveLength(3);
    const srSeries = dicomJsonString(series.find((s) => dicomJsonString(s, DicomJsonTag.Modality) === 'SR')!, DicomJsonTag.SeriesInstanceUID)!;
    const [instance] = await client.searchInstances({}, { studyInstanceUID: study, seriesInstanceUID: srSeries });
    const report = readPredictionReport(parseDicom(await client.retrieveInstance({ studyInstanceUID: study, seriesInstanceUID: srSeries, sopInstanceUID: dicomJsonString(instance!, DicomJsonTag.SOPInstanceUID)! })));
    const capture = report.images.find((image) => image.saliency)!;
    const captureSeries = series.map((s) => dicomJsonString(s, DicomJsonTag.SeriesInstanceUID)!).filter((uid) => uid !== srSeries && uid !== source.string(Tag.SeriesInstanceUID));
    const stored = parseDicom(await client.retrieveInstance({ studyInstanceUID: study, seriesInstanceUID: captureSeries[0]!, sopInstanceUID: capture.sopInstanceUID }));
    expect(stored.string(Tag.SOPClassUID)).toBe(capture.sopClassUID);
    expect(stored.number(Tag.SamplesPerPixel)).toBe(3);
  });

  it('a PACS that cannot be reached is counted in cvf_stow_failures_total; the request is answered 200', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const server = await createEdgeServer({ models: ['patterns@production'], store, logger: silent, decodeWorkers: 0, stow: `http://127.0.0.1:${closed}/dicom-web` });
    const { status, body } = await predict(server.url, [{ name: 'scan.dcm', bytes: patternDicom(1, { sopInstanceUID: '2.25.4343' }), type: 'application/dicom' }]);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.predictions).toHaveLength(1);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('# TYPE cvf_stow_failures_total counter');
    await server.close();
    expect(await counter(server.metrics.stowFailures)).toEqual({ 'patterns/DICOMWEB_UNREACHABLE': 1 });
    expect(await counter(server.metrics.stowed)).toEqual({});
  });
});
