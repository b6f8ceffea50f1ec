import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deidentifyDicom } from '../deid/deidentify.js';
import { decodeFrames } from '../dicom/decode-frames.js';
import { parseDicom } from '../dicom/parse-dicom.js';
import { Tag } from '../dicom/tags.js';
import { dcmdump, referenceToolsSkipReason, runPythonJson } from '../node/reference-tools.js';
import { bytesElement, textElement } from '../writer/data-element.js';
import { tag } from '../writer/dicom-tag.js';
import { createCtImage, CT_IMAGE_STORAGE } from '../writer/ct-image.js';
import { createSecondaryCapture } from '../writer/secondary-capture.js';
import { writeDicom } from '../writer/write-dicom.js';
import { burnSaliencyOverlay } from './saliency-overlay.js';
import { createSaliencyCapture } from './saliency-capture.js';
import { deidentifySourceStudy, readSourceStudy } from './source-study.js';
import { readPredictionReport } from './read-prediction-report.js';
import { COMPREHENSIVE_SR_STORAGE, createPredictionReport } from './structured-report.js';

const skip = referenceToolsSkipReason();
const dir = mkdtempSync(join(tmpdir(), 'cvf-report-'));

const LATIN1_NAME = new Uint8Array([...'M', 0xfc, ...'ller^J', 0xfc, ...'rgen'].map((c) => (typeof c === 'string' ? c.charCodeAt(0) : c)));

/** A CT slice; with `latin1`, its patient name is Latin-1 (ISO_IR 100), which a report must re-encode as UTF-8. */
function sourceCt(latin1 = true): Uint8Array {
  const rows = 8;
  const columns = 6;
  return writeDicom(
    createCtImage({
      rows,
      columns,
      pixels: Int16Array.from({ length: rows * columns }, (_, i) => i * 10 - 200),
      rescale: { slope: 1, intercept: -1024 },
      pixelSpacing: [0.7, 0.7],
      sliceThickness: 5,
      position: [0, 0, 10],
      patientId: 'PAT-0042',
      patientSex: 'F',
      patientBirthDate: '19700102',
      studyDate: '20260101',
      accessionNumber: 'ACC77',
      studyDescription: 'CT thorax',
      patientName: 'Doe^Jane',
      extra: latin1 ? [textElement(tag(0x0008, 0x0005), 'CS', 'ISO_IR 100'), bytesElement(tag(0x0010, 0x0010), 'PN', LATIN1_NAME)] : [],
    }),
  );
}

const ALGORITHM = { name: 'chest-ct-triage', version: '3', configHash: 'a1b2c3d4e5f6' };
const FINDING = { label: 'nodule with a long class label', probability: 0.8734 };
const DECISION = { outcome: 'refer' as const, threshold: 0.91, reasons: ['probability 0.873 below the operating threshold 0.91', 'head and kNN vote disagree'] };

function tool(name: 'dsrdump' | 'dcmdump', path: string, ...options: string[]): { status: number; stdout: string; stderr: string } {
  if (name === 'dcmdump') return dcmdump(path, ...options);
  const result = spawnSync('dsrdump', [...options, path], { encoding: 'utf8' });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe('prediction report (Comprehensive SR)', () => {
  const sourceBytes = sourceCt();
  const source = parseDicom(sourceBytes);
  const study = readSourceStudy(source);
  const saliencyImage = { ...study.reference, seriesInstanceUID: '2.25.11', sopClassUID: '1.2.840.10008.5.1.4.1.1.7', sopInstanceUID: '2.25.12' };
  const sr = writeDicom(createPredictionReport({ source: study, finding: FINDING, decision: DECISION, algorithm: ALGORITHM, saliencyImage }));
  const parsed = parseDicom(sr);

  it('copies the patient and study of the source (re-encoded as UTF-8), in a new series and instance', () => {
    expect(parsed.string(Tag.SOPClassUID)).toBe(COMPREHENSIVE_SR_STORAGE);
    expect(parsed.string(Tag.SpecificCharacterSet)).toBe('ISO_IR 192');
    expect(parsed.string(Tag.PatientName)).toBe('Müller^Jürgen');
    for (const t of [Tag.PatientID, Tag.StudyInstanceUID, Tag.StudyDate, '00080050', '00100040', '00100030', Tag.StudyDescription]) expect(parsed.string(t), t).toBe(source.string(t));
    expect(parsed.string(Tag.Modality)).toBe('SR');
    expect(parsed.string(Tag.SeriesInstanceUID)).not.toBe(source.string(Tag.SeriesInstanceUID));
    expect(parsed.string(Tag.SOPInstanceUID)).not.toBe(source.string(Tag.SOPInstanceUID));
  });

  it('round-trips through our parser: finding, probability, decision, algorithm, references', () => {
    const content = readPredictionReport(parsed);
    expect(content.finding).toEqual(FINDING);
    expect(content.decision).toEqual(DECISION);
    expect(content.algorithm).toEqual(ALGORITHM);
    expect(content.studyInstanceUID).toBe(study.reference.studyInstanceUID);
    expect(content.images).toEqual([
      { sopClassUID: CT_IMAGE_STORAGE, sopInstanceUID: study.reference.sopInstanceUID, saliency: false },
      { sopClassUID: saliencyImage.sopClassUID, sopInstanceUID: saliencyImage.sopInstanceUID, saliency: true },
    ]);
    expect(content.evidence).toEqual([{ studyInstanceUID: study.reference.studyInstanceUID, seriesInstanceUID: study.reference.seriesInstanceUID, sopInstanceUID: study.reference.sopInstanceUID }]);
    // The coding scheme of the model's own codes is named.
    expect(parsed.sequence('00080110')![0]!.string('00080102')).toBe('99CVF');
  });

  it('without a decision, the report holds the finding and probability only', () => {
    const plain = readPredictionReport(parseDicom(writeDicom(createPredictionReport({ source: study, finding: { label: 'normal', probability: 0.5 }, algorithm: { name: 'm', version: '1' } }))));
    expect(plain.decision).toBeUndefined();
    expect(plain.finding).toEqual({ label: 'normal', probability: 0.5 });
    expect(plain.algorithm).toEqual({ name: 'm', version: '1' });
    expect(plain.images).toHaveLength(1);
  });

  it.skipIf(skip)('a multi-frame source is referenced with the frame the model read (frame 1), and dsrdump accepts it', () => {
    const frames = createSecondaryCapture({ rows: 4, columns: 4, frames: 3, pixels: new Uint8Array(48), patientId: 'MF-1', patientName: 'Multi^Frame' });
    const multi = readSourceStudy(parseDicom(writeDicom(frames)));
    expect(multi.reference.frame).toBe(1);
    const bytes = writeDicom(createPredictionReport({ source: multi, finding: FINDING, algorithm: ALGORITHM }));
    expect(readPredictionReport(parseDicom(bytes)).images).toEqual([{ sopClassUID: multi.reference.sopClassUID, sopInstanceUID: multi.reference.sopInstanceUID, frame: 1, saliency: false }]);
    const path = join(dir, 'report-multiframe.dcm');
    writeFileSync(path, bytes);
    const dumped = tool('dsrdump', path);
    expect(dumped.stderr).toBe('');
    expect(dumped.stdout).toContain('<contains IMAGE:=(SCb image,,1)>'); // dcmtk's short name of Multi-frame Grayscale Byte SC
    expect(study.reference.frame).toBeUndefined();
  });

  it('keeps a label of any length whole; a backslash (the value separator) becomes a slash', () => {
    const long = 'a finding whose label runs well past the sixty-four characters of a Code Meaning';
    for (const [label, read] of [[long, long], ['left\\right', 'left/right'], ['épanchement', 'épanchement']]) {
      const report = readPredictionReport(parseDicom(writeDicom(createPredictionReport({ source: study, finding: { label: label!, probability: 0.25 }, algorithm: ALGORITHM }))));
      expect(report.finding.label).toBe(read);
    }
  });

  it('refuses a probability outside 0..1 and an empty label, naming the value', () => {
    expect(() => createPredictionReport({ source: study, finding: { label: 'x', probability: 1.2 }, algorithm: ALGORITHM })).toThrow(/probability 1.2 must be a number in 0..1/);
    expect(() => createPredictionReport({ source: study, finding: { label: '', probability: 0.2 }, algorithm: ALGORITHM })).toThrow(/empty label/);
    expect(() => readPredictionReport(source)).toThrow(expect.objectContaining({ code: 'DICOM_MALFORMED' }));
  });

  it.skipIf(skip)('dsrdump and dcmdump read it without an error or a warning', () => {
    // An ASCII source: the report needs no Specific Character Set.
    const ascii = readSourceStudy(parseDicom(sourceCt(false)));
    const path = join(dir, 'report.dcm');
    writeFileSync(path, writeDicom(createPredictionReport({ source: ascii, finding: FINDING, decision: DECISION, algorithm: ALGORITHM, saliencyImage })));
    expect(parseDicom(writeDicom(createPredictionReport({ source: ascii, finding: FINDING, algorithm: ALGORITHM }))).has(Tag.SpecificCharacterSet)).toBe(false);
    const sr1 = tool('dsrdump', path, '+Pc');
    expect(sr1.stderr).toBe('');
    expect(sr1.status).toBe(0);
    expect(sr1.stdout).toContain('Comprehensive SR Document');
    expect(sr1.stdout).toContain('"nodule with a long class label"');
    expect(sr1.stdout).toMatch(/Model probability of the finding.*="0\.8734" \(1,UCUM,"no units"\)/);
    expect(sr1.stdout).toContain('(REFER,99CVF,"Refer to a clinician: the model is unsure")');
    expect(sr1.stdout).toContain('<has concept mod TEXT:(111001,DCM,"Algorithm Name")="chest-ct-triage">');
    const dump = tool('dcmdump', path);
    expect(dump.stderr).toBe('');
    expect(dump.status).toBe(0);

    // The UTF-8 one: dcmtk 3.6.7's VR checker does not know ISO_IR 192 and says so once; nothing else is reported.
    const utf8Path = join(dir, 'report-utf8.dcm');
    writeFileSync(utf8Path, sr);
    const utf8 = tool('dsrdump', utf8Path, '+U8');
    expect(utf8.stderr.split('\n').filter((line) => line !== '' && line !== 'W: The VR checker does not support this Specific Character Set: ISO_IR 192')).toEqual([]);
    expect(utf8.status).toBe(0);
    expect(utf8.stdout).toContain('Müller^Jürgen');
    expect(tool('dcmdump', utf8Path).stderr).toBe('');
  });

  it.skipIf(skip)('pydicom reads the same content tree: finding, probability with its unit, recommendation', () => {
    const path = join(dir, 'report-pydicom.dcm');
    writeFileSync(path, sr);
    const script = `
import json, sys, pydicom
ds = pydicom.dcmread(sys.argv[1])
def walk(items, out):
    for item in items:
        name = item.ConceptNameCodeSequence[0].CodeMeaning if 'ConceptNameCodeSequence' in item else ''
        if item.ValueType == 'CODE': out[name] = item.ConceptCodeSequence[0].CodeMeaning
        if item.ValueType == 'NUM':
            mv = item.MeasuredValueSequence[0]
            out[name] = [float(mv.NumericValue), mv.MeasurementUnitsCodeSequence[0].CodeValue]
        if item.ValueType == 'TEXT': out.setdefault(name, item.TextValue)
        walk(item.get('ContentSequence', []), out)
    return out
print(json.dumps({'sop': ds.SOPClassUID, 'tree': walk(ds.ContentSequence, {})}))
`;
    const read = runPythonJson<{ sop: string; tree: Record<string, unknown> }>(script, [path]);
    expect(read.sop).toBe(COMPREHENSIVE_SR_STORAGE);
    expect(read.tree).toMatchObject({
      Finding: FINDING.label,
      'Model probability of the finding': [FINDING.probability, '1'],
      'Operating threshold of the finding': [DECISION.threshold, '1'],
      Recommendation: 'Refer to a clinician: the model is unsure',
      'Algorithm Name': ALGORITHM.name,
      'Algorithm Version': ALGORITHM.version,
    });
  });

  it('de-identified on request: the references point at the de-identified source made with the same secret', async () => {
    const secret = 'report-secret';
    const anonymous = await deidentifySourceStudy(study, { secret });
    const report = parseDicom(writeDicom(createPredictionReport({ source: anonymous, finding: FINDING, algorithm: ALGORITHM })));
    const deidentified = parseDicom((await deidentifyDicom(sourceBytes, { secret })).bytes);
    expect(report.string(Tag.PatientName) ?? '').not.toContain('ller');
    expect(report.string('00120062')).toBe('YES');
    expect(report.string(Tag.PatientID)).toBe(deidentified.string(Tag.PatientID));
    expect(report.string(Tag.StudyInstanceUID)).toBe(deidentified.string(Tag.StudyInstanceUID));
    expect(readPredictionReport(report).evidence).toEqual([
      { studyInstanceUID: deidentified.string(Tag.StudyInstanceUID), seriesInstanceUID: deidentified.string(Tag.SeriesInstanceUID), sopInstanceUID: deidentified.string(Tag.SOPInstanceUID) },
    ]);
    expect(report.string('00080050') ?? '').not.toBe('ACC77');
  });
});

describe('saliency overlay capture (Secondary Capture)', () => {
  const source = parseDicom(sourceCt());
  const study = readSourceStudy(source);
  const height = 8;
  const width = 6;
  const grey = { data: Float32Array.from({ length: height * width }, (_, i) => i / (height * width)), channels: 1, height, width };

  it('burns the positive part of the map in the viewer colours and leaves the rest of the image as it is', () => {
    const map = new Float32Array(height * width);
    map[5] = 2; // the strongest: red
    map[20] = -3; // against the class: not drawn
    const rgb = burnSaliencyOverlay(grey, { map, height, width }, 0.5);
    const pixel = (i: number) => [...rgb.subarray(i * 3, i * 3 + 3)];
    const greyValue = (i: number) => 255 * grey.data[i]!;
    expect(pixel(20)).toEqual(new Array(3).fill(Math.round(greyValue(20))));
    expect(pixel(0)).toEqual([0, 0, 0]);
    // Half image, half pure red (255, 0, 0).
    expect(pixel(5)).toEqual([Math.round((greyValue(5) + 255) / 2), Math.round(greyValue(5) / 2), Math.round(greyValue(5) / 2)]);
    expect(() => burnSaliencyOverlay(grey, { map: new Float32Array(4), height: 2, width: 2 })).toThrow(/must be the image's 8×6/);
  });

  it.skipIf(skip)('is an RGB Secondary Capture of the source study, new series, burnt-in annotation YES, read cleanly by dcmdump', async () => {
    const map = Float32Array.from({ length: height * width }, (_, i) => (i % width) - 2);
    const rgb = burnSaliencyOverlay(grey, { map, height, width });
    const bytes = writeDicom(createSaliencyCapture({ source: study, rgb, rows: height, columns: width, algorithm: ALGORITHM, label: FINDING.label }));
    const path = join(dir, 'capture.dcm');
    writeFileSync(path, bytes);
    const dump = dcmdump(path);
    expect(dump.stderr).toBe('');
    expect(dump.status).toBe(0);
    const sc = parseDicom(bytes);
    expect(sc.string(Tag.SOPClassUID)).toBe('1.2.840.10008.5.1.4.1.1.7');
    expect(sc.string('00280301')).toBe('YES');
    expect(sc.strings(Tag.ImageType)).toEqual(['DERIVED', 'SECONDARY']);
    expect(sc.string(Tag.StudyInstanceUID)).toBe(source.string(Tag.StudyInstanceUID));
    expect(sc.string(Tag.PatientName)).toBe('Müller^Jürgen');
    expect(sc.string(Tag.SeriesInstanceUID)).not.toBe(source.string(Tag.SeriesInstanceUID));
    expect(sc.sequence('00082112')![0]!.string('00081155')).toBe(source.string(Tag.SOPInstanceUID));
    const decoded = await decodeFrames(sc);
    expect(decoded.photometricInterpretation).toBe('RGB');
    expect([...decoded.data[0]!]).toEqual([...rgb]);
  });
});
