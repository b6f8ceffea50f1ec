import { createSecondaryCapture, DicomJsonTag, dicomJsonString, DicomwebClient, parseDicom, readPredictionReport, Tag, writeDicom } from '@cvf/medical';
import { orthancUnavailable, startOrthanc } from '@cvf/medical/node';
import { encodePng, imageTensor, Rng, type Prediction } from '@cvf/core';
import { gpuForTests, requireInCi } from '@cvf/core/testing';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

// `cvf predict --sr OUT/`: each DICOM file's decision as a Comprehensive SR and its saliency
// overlay as an RGB Secondary Capture, in the source study; PNGs have no study and get none.

const gpu = await gpuForTests();
// The CLI opens its own Device; this one only tells whether an adapter is there.
gpu.device?.destroy();

const dcmtk = requireInCi('dcmtk (dsrdump, dcmdump)', spawnSync('dsrdump', ['--version']).status === 0 || 'no dsrdump on PATH');

/** A 28×28 CT slice in HU: air, a body disc, a bright nodule for "abnormal". */
function slice(abnormal: boolean, rng: Rng): Uint16Array {
  return Uint16Array.from({ length: 28 * 28 }, (_, i) => {
    const [x, y] = [i % 28, Math.floor(i / 28)];
    const body = (x - 14) ** 2 + (y - 14) ** 2 < 100;
    const nodule = abnormal && (x - 10) ** 2 + (y - 12) ** 2 < 9;
    return Math.round((nodule ? 60 : body ? -800 : -1000) + 2048 + 15 * rng.normal());
  });
}

type Predicted = { file: string; results?: { report?: string; capture?: string; storedInStudy?: string } } & Prediction;

describe('cvf predict --sr', () => {
  let dir: string;
  let bundle: string;
  let files: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-predict-sr-'));
    const root = join(dir, 'dicom');
    mkdirSync(root);
    const rng = new Rng(5);
    const rows = ['sopInstanceUID,label'];
    for (let i = 0; i < 30; i++) {
      const sop = `2.25.${5000 + i}`;
      const image = createSecondaryCapture({
        rows: 28, columns: 28, pixels: slice(i % 2 === 1, rng), bitsStored: 12, modality: 'CT', rescale: { slope: 1, intercept: -2048 },
        patientId: `P${i}`, patientName: `Case^${i}`, studyUID: `2.25.${7000 + i}`, sopInstanceUID: sop, accessionNumber: `A${i}`,
      });
      writeFileSync(join(root, `${i}.dcm`), writeDicom(image));
      rows.push(`${sop},${i % 2 === 1 ? 'abnormal' : 'normal'}`);
    }
    writeFileSync(join(dir, 'labels.csv'), `${rows.join('\n')}\n`);
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      `version: 1
name: ct-sr
data:
  source: { kind: dicom-folder, root: dicom, labels: { path: labels.csv } }
  splits: { train: 0.6, val: 0.2, test: 0.2, seed: 3 }
preprocess:
  resize: { height: 28, width: 28, mode: nearest }
  color: gray
  window: { preset: ct-lung }
features: { kind: pixels }
index: { kind: flat, metric: cosine, k: 3 }
model: { head: softmax }
train: { epochs: 8, batchSize: 16, optimizer: { kind: adam, lr: 0.01 }, earlyStopping: { enabled: false } }
registry: { register: false }
tracking: { store: ${join(dir, '.cvf')} }
`,
    );
    const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--json');
    expect(trained.exitCode, trained.stdout.slice(-2000) + trained.stderr).toBe(0);
    const lines = trained.stdout.trim().split('\n');
    bundle = (JSON.parse(lines[lines.length - 1]!) as { bundle: string }).bundle;
    const png = join(dir, 'slice.png');
    writeFileSync(png, await encodePng(imageTensor('u8', { height: 28, width: 28, channels: 1 }, Uint8Array.from({ length: 28 * 28 }, (_, i) => (i * 7) % 256))));
    files = [join(root, '1.dcm'), join(root, '2.dcm'), png];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes an SR and an overlay capture per DICOM file, in its study, with the decision it printed', async () => {
    const out = join(dir, 'results');
    const result = await runCli('predict', bundle, ...files, '--sr', out, '--json', '--no-audit');
    expect(result.exitCode, result.stderr).toBe(0);
    const predicted = JSON.parse(result.stdout) as Predicted[];
    expect(predicted[2]!.results).toBeUndefined();
    expect(readdirSync(out).sort()).toEqual(['2.25.5001.sc.dcm', '2.25.5001.sr.dcm', '2.25.5002.sc.dcm', '2.25.5002.sr.dcm']);
    for (const [i, p] of predicted.slice(0, 2).entries()) {
      const source = parseDicom(readFileSync(files[i]!));
      expect(p.results).toEqual({ report: join(out, `2.25.500${i + 1}.sr.dcm`), capture: join(out, `2.25.500${i + 1}.sc.dcm`) });
      const sr = parseDicom(readFileSync(p.results!.report!));
      const report = readPredictionReport(sr);
      expect(report.finding.label).toBe(p.decision.label);
      expect(report.finding.probability).toBeCloseTo(p.probabilities[p.decision.classIndex]!, 12);
      expect(report.decision).toEqual({ outcome: p.decision.outcome, reasons: [p.decision.summary] });
      expect(report.algorithm).toEqual({ name: 'ct-sr', version: 'unregistered', configHash: p.decision.model.configHash });
      expect(report.evidence).toEqual([{ studyInstanceUID: `2.25.700${i + 1}`, seriesInstanceUID: source.string(Tag.SeriesInstanceUID), sopInstanceUID: `2.25.500${i + 1}` }]);
      for (const t of [Tag.PatientID, Tag.PatientName, Tag.StudyInstanceUID, '00080050']) expect(sr.string(t), t).toBe(source.string(t));

      const capture = parseDicom(readFileSync(p.results!.capture!));
      expect(capture.string(Tag.StudyInstanceUID)).toBe(`2.25.700${i + 1}`);
      expect(capture.string('00280301')).toBe('YES');
      expect([capture.number(Tag.Rows), capture.number(Tag.Columns), capture.string(Tag.PhotometricInterpretation)]).toEqual([28, 28, 'RGB']);
      expect(report.images[1]).toMatchObject({ sopInstanceUID: capture.string(Tag.SOPInstanceUID), saliency: true });
    }
    // The overlay is drawn: the capture's pixels are not all grey.
    const pixels = parseDicom(readFileSync(join(out, '2.25.5001.sc.dcm'))).bytes(Tag.PixelData)!;
    let coloured = 0;
    for (let i = 0; i < pixels.length; i += 3) if (pixels[i] !== pixels[i + 1] || pixels[i + 1] !== pixels[i + 2]) coloured++;
    expect(coloured).toBeGreaterThan(0);
  });

  it.skipIf(dcmtk)('dsrdump and dcmdump read what it wrote without an error or a warning', () => {
    const out = join(dir, 'results');
    for (const name of readdirSync(out)) {
      const path = join(out, name);
      const dumped = spawnSync(name.endsWith('.sr.dcm') ? 'dsrdump' : 'dcmdump', [path], { encoding: 'utf8' });
      expect(dumped.stderr, name).toBe('');
      expect(dumped.status, name).toBe(0);
    }
  });

  it.skipIf(gpu.skip)('on WebGPU (the software adapter here) the overlay capture matches the CPU one within one grey level', async () => {
    const onGpu = join(dir, 'results-webgpu');
    const result = await runCli('predict', bundle, files[0]!, '--sr', onGpu, '--device', 'webgpu', '--allow-software', '--json', '--no-audit');
    expect(result.exitCode, result.stderr).toBe(0);
    const pixels = (path: string) => parseDicom(readFileSync(path)).bytes(Tag.PixelData)!;
    const gpuPixels = pixels(join(onGpu, '2.25.5001.sc.dcm'));
    const cpuPixels = pixels(join(dir, 'results', '2.25.5001.sc.dcm'));
    expect(gpuPixels.length).toBe(cpuPixels.length);
    let worst = 0;
    for (let i = 0; i < gpuPixels.length; i++) worst = Math.max(worst, Math.abs(gpuPixels[i]! - cpuPixels[i]!));
    expect(worst).toBeLessThanOrEqual(1);
    expect(readPredictionReport(parseDicom(readFileSync(join(onGpu, '2.25.5001.sr.dcm')))).finding.label).toBe(
      readPredictionReport(parseDicom(readFileSync(join(dir, 'results', '2.25.5001.sr.dcm')))).finding.label,
    );
  });

  it.skipIf(orthancUnavailable())('--stow stores the SR and the overlay capture in a real Orthanc, under the source study', async () => {
    const orthanc = await startOrthanc();
    try {
      const result = await runCli('predict', bundle, files[1]!, files[2]!, '--stow', orthanc.dicomWebUrl, '--json', '--no-audit');
      expect(result.exitCode, result.stderr).toBe(0);
      const [dicom, png] = JSON.parse(result.stdout) as Predicted[];
      expect(dicom!.results).toEqual({ storedInStudy: '2.25.7002' });
      expect(png!.results).toBeUndefined();
      const client = new DicomwebClient({ url: orthanc.dicomWebUrl });
      const series = await client.searchSeries({}, { studyInstanceUID: '2.25.7002' });
      expect(series.map((s) => dicomJsonString(s, DicomJsonTag.Modality)).sort()).toEqual(['OT', 'SR']);
    } finally {
      await orthanc.stop();
    }
  });

  it('--sr-deidentify without --sr is a usage error, before any bundle is read', async () => {
    const result = await runCli('predict', 'no-such-bundle', files[0]!, '--sr-deidentify', '--json', '--no-audit');
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ error: { code: 'USAGE_INVALID', message: expect.stringContaining('give --sr <dir> or --stow <url> too') } });
  });

  it('--sr-deidentify copies the patient and study de-identified, keyed by $CVF_DEID_SECRET as cvf dicom deid is', async () => {
    const out = join(dir, 'deidentified');
    const deidOut = join(dir, 'deid-copy');
    process.env.CVF_DEID_SECRET = 'sr-test-key';
    try {
      const result = await runCli('predict', bundle, files[0]!, '--sr', out, '--sr-deidentify', '--json', '--no-audit');
      expect(result.exitCode, result.stderr).toBe(0);
      const deid = await runCli('dicom', 'deid', files[0]!, join(deidOut, 'copy.dcm'), '--json');
      expect(deid.exitCode, deid.stdout + deid.stderr).toBe(0);
    } finally {
      delete process.env.CVF_DEID_SECRET;
    }
    const copy = parseDicom(readFileSync(join(deidOut, 'copy.dcm')));
    const [name] = readdirSync(out).filter((n) => n.endsWith('.sr.dcm'));
    expect(name).toBe(`${copy.string(Tag.SOPInstanceUID)}.sr.dcm`);
    const sr = parseDicom(readFileSync(join(out, name!)));
    expect(sr.string(Tag.PatientID)).toBe(copy.string(Tag.PatientID));
    expect(sr.string(Tag.PatientName)).toBeUndefined();
    expect(sr.string(Tag.StudyInstanceUID)).toBe(copy.string(Tag.StudyInstanceUID));
    expect(readPredictionReport(sr).evidence[0]!.sopInstanceUID).toBe(copy.string(Tag.SOPInstanceUID));
    expect(existsSync(join(out, `${copy.string(Tag.SOPInstanceUID)}.sc.dcm`))).toBe(true);
  });
});
