import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrames } from '../dicom/decode-frames.js';
import type { DecodedImage } from '../dicom/decoded-image.js';
import type { DicomFile } from '../dicom/dicom-file.js';
import { parseDicom } from '../dicom/parse-dicom.js';
import { Tag } from '../dicom/tags.js';
import { PYDICOM_CORPUS } from '../node/reference-tools.js';
import { orthancUnavailable, startOrthanc, type OrthancServer } from '../node/testing/orthanc.js';
import { DicomJsonTag, dicomJsonString } from './dicom-json.js';
import { DicomwebClient, type InstanceUIDs } from './dicomweb-client.js';

// Distinct SOP instances of the corpus: native explicit/implicit LE (multi-frame), RLE, JPEG
// baseline (YCbCr), JPEG 2000, RLE RGB multi-frame. Several share a study.
const CORPUS = ['CT_small.dcm', 'rtdose.dcm', 'MR_small_RLE.dcm', 'SC_rgb_jpeg_dcmtk.dcm', 'JPEG2000.dcm', 'SC_rgb_rle_2frame.dcm'];

const skip = orthancUnavailable();
let orthanc: OrthancServer | undefined;
let client: DicomwebClient;
const local = new Map<string, { bytes: Uint8Array; file: DicomFile; uids: InstanceUIDs }>();

beforeAll(async () => {
  if (skip) return;
  for (const name of CORPUS) {
    const bytes = new Uint8Array(readFileSync(join(PYDICOM_CORPUS, name)));
    const file = parseDicom(bytes);
    const uids = { studyInstanceUID: file.string(Tag.StudyInstanceUID)!, seriesInstanceUID: file.string(Tag.SeriesInstanceUID)!, sopInstanceUID: file.string(Tag.SOPInstanceUID)! };
    local.set(name, { bytes, file, uids });
  }
  orthanc = await startOrthanc();
  client = new DicomwebClient({ url: orthanc.dicomWebUrl });
});

afterAll(async () => {
  await orthanc?.stop();
});

function expectSamePixels(got: DecodedImage, want: DecodedImage, what: string): void {
  expect([got.rows, got.columns, got.frames, got.samplesPerPixel, got.photometricInterpretation], what).toEqual([want.rows, want.columns, want.frames, want.samplesPerPixel, want.photometricInterpretation]);
  got.data.forEach((frame, i) => {
    expect(frame.constructor, `${what} frame ${i}`).toBe(want.data[i]!.constructor);
    expect(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).equals(Buffer.from(want.data[i]!.buffer, want.data[i]!.byteOffset, want.data[i]!.byteLength)), `${what} frame ${i}`).toBe(true);
  });
}

describe.skipIf(skip)('DICOMweb against a real Orthanc', () => {
  // The tests run in order: STOW-RS first fills the server.
  it('STOW-RS stores the corpus files', async () => {
    const result = await client.storeInstances(CORPUS.map((name) => local.get(name)!.bytes));
    expect(result.failed).toEqual([]);
    expect(result.stored.map((s) => s.sopInstanceUID).sort()).toEqual(CORPUS.map((name) => local.get(name)!.uids.sopInstanceUID).sort());
    expect(result.stored.every((s) => s.retrieveURL?.startsWith(orthanc!.dicomWebUrl))).toBe(true);
  });

  it('QIDO-RS finds studies, series and instances by attribute', async () => {
    const studies = new Set(CORPUS.map((name) => local.get(name)!.uids.studyInstanceUID));
    const found = await client.searchStudies();
    expect(found.map((s) => dicomJsonString(s, DicomJsonTag.StudyInstanceUID)).sort()).toEqual([...studies].sort());

    const ct = local.get('CT_small.dcm')!;
    const byPatient = await client.searchStudies({ PatientID: ct.file.string(Tag.PatientID)! });
    expect(byPatient.map((s) => dicomJsonString(s, DicomJsonTag.StudyInstanceUID))).toEqual([ct.uids.studyInstanceUID]);

    const mr = await client.searchSeries({ Modality: 'MR' });
    expect(mr.map((s) => dicomJsonString(s, DicomJsonTag.SeriesInstanceUID))).toEqual([local.get('MR_small_RLE.dcm')!.uids.seriesInstanceUID]);

    const sc = local.get('SC_rgb_jpeg_dcmtk.dcm')!;
    const inStudy = await client.searchInstances({ includefield: ['NumberOfFrames'] }, { studyInstanceUID: sc.uids.studyInstanceUID });
    const expected = CORPUS.filter((name) => local.get(name)!.uids.studyInstanceUID === sc.uids.studyInstanceUID).map((name) => local.get(name)!.uids.sopInstanceUID);
    expect(inStudy.map((i) => dicomJsonString(i, DicomJsonTag.SOPInstanceUID)).sort()).toEqual(expected.sort());
    const dose = await client.searchInstances({ Modality: 'RTDOSE', includefield: ['NumberOfFrames'] });
    expect(dose.map((i) => dicomJsonString(i, DicomJsonTag.NumberOfFrames))).toEqual(['15']);
    expect(await client.searchStudies({ PatientID: 'nobody' })).toEqual([]);
  });

  it.each(CORPUS)('WADO-RS retrieves %s as stored, and it decodes to the local decode of the file', async (name) => {
    const { file, uids } = local.get(name)!;
    const retrieved = parseDicom(await client.retrieveInstance(uids));
    expect(retrieved.transferSyntaxUID).toBe(file.transferSyntaxUID);
    expectSamePixels(await decodeFrames(retrieved), await decodeFrames(file), name);
  });

  it('WADO-RS transcodes an RLE instance to Explicit VR Little Endian on request, with the same pixels', async () => {
    const { file, uids } = local.get('MR_small_RLE.dcm')!;
    const transcoded = parseDicom(await client.retrieveInstance(uids, { transferSyntaxUID: '1.2.840.10008.1.2.1' }));
    expect(transcoded.transferSyntaxUID).toBe('1.2.840.10008.1.2.1');
    // Orthanc's RLE decoder (DCMTK) and ours agree on every value.
    expectSamePixels(await decodeFrames(transcoded), await decodeFrames(file), 'MR_small_RLE transcoded');
  });

  it('WADO-RS retrieves frames: native pixels (server-decoded) and compressed bitstreams as stored', async () => {
    const dose = local.get('rtdose.dcm')!;
    const wanted = await decodeFrames(dose.file, { frames: [1, 4] });
    const frames = await client.retrieveFrames(dose.uids, [2, 5]);
    expect(frames.map((f) => f.transferSyntaxUID)).toEqual(['1.2.840.10008.1.2.1', '1.2.840.10008.1.2.1']);
    frames.forEach((frame, i) => {
      const want = wanted.data[i]!;
      expect(Buffer.from(frame.bytes).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength)), `frame ${i}`).toBe(true);
    });

    const mr = local.get('MR_small_RLE.dcm')!;
    const [decoded] = await client.retrieveFrames(mr.uids, [1]);
    const mine = (await decodeFrames(mr.file)).data[0]!;
    expect(new Int16Array(decoded!.bytes.slice().buffer)).toEqual(mine);

    const jpeg = local.get('SC_rgb_jpeg_dcmtk.dcm')!;
    const [stored] = await client.retrieveFrames(jpeg.uids, [1], { transferSyntaxUID: '*' });
    expect([stored!.contentType, stored!.transferSyntaxUID]).toEqual(['image/jpeg', '1.2.840.10008.1.2.4.50']);
    expect([...stored!.bytes.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    // The very bitstream of the file's Pixel Data fragment (up to the fragment's even-length padding).
    const at = Buffer.from(jpeg.bytes).indexOf(Buffer.from(stored!.bytes.subarray(0, stored!.bytes.length - 1)));
    expect(at).toBeGreaterThan(0);
  });

  it('failures carry stable codes: HTTP status, unreachable service, non-DICOMweb answer, bad input', async () => {
    const missing = { studyInstanceUID: '1.2.3', seriesInstanceUID: '1.2.3.4', sopInstanceUID: '1.2.3.4.5' };
    await expect(client.retrieveInstance(missing)).rejects.toMatchObject({ code: 'DICOMWEB_HTTP_ERROR', details: { status: 404 }, message: expect.stringContaining('HTTP 404') });

    // A port nothing listens on.
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    await expect(new DicomwebClient({ url: `http://127.0.0.1:${closed}/dicom-web` }).searchStudies()).rejects.toMatchObject({
      code: 'DICOMWEB_UNREACHABLE',
      message: expect.stringContaining('ECONNREFUSED'),
    });

    // Orthanc's REST root is no DICOMweb root: its /studies is a JSON list of Orthanc IDs, not DICOM JSON.
    await expect(new DicomwebClient({ url: orthanc!.url }).searchStudies()).rejects.toMatchObject({ code: 'DICOMWEB_INVALID_RESPONSE', message: expect.stringContaining('DICOMweb root') });
    const html = createServer((_, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'));
    await new Promise<void>((resolve) => html.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = html.address() as { port: number };
      await expect(new DicomwebClient({ url: `http://127.0.0.1:${port}` }).searchInstances()).rejects.toMatchObject({ code: 'DICOMWEB_INVALID_RESPONSE' });
    } finally {
      html.close();
    }

    await expect(client.retrieveFrames(local.get('CT_small.dcm')!.uids, [0])).rejects.toMatchObject({ code: 'DICOMWEB_INVALID_REQUEST' });
    await expect(client.retrieveInstance({ ...missing, sopInstanceUID: '1.2/../../x' })).rejects.toMatchObject({ code: 'DICOMWEB_INVALID_REQUEST' });
    expect(() => new DicomwebClient({ url: 'ftp://pacs/dicom-web' })).toThrow(expect.objectContaining({ code: 'DICOMWEB_INVALID_REQUEST' }));
  });
});
