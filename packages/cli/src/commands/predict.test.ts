import { createSecondaryCapture, dicomInputDecoder, dicomSampleImage, parseDicom, writeDicom } from '@cvf/medical';
import { CpuDevice, decodeInput, disposeDecodedInput, encodePng, imageTensor, isSoftwareAdapter, Predictor, type Device, type PreprocessConfig } from '@cvf/core';
import { createOrtNodeRuntime, readBundleFolder, sharpImageDecoder } from '@cvf/core/node';
import { gpuForTests } from '@cvf/core/testing';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

// Real images: Debian's Fashion-MNIST (scripts/setup.sh installs it) as CT slices; real DICOM:
// pydicom's test files.
const FASHION = '/usr/share/datasets/fashion-mnist';
const PYDICOM_CORPUS = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const available = existsSync(`${FASHION}/t10k-images-idx3-ubyte.gz`) && existsSync(PYDICOM_CORPUS);
if (!available && process.env.CI === 'true') throw new Error(`CI needs ${FASHION} and ${PYDICOM_CORPUS} (scripts/setup.sh installs them)`);
if (!available) console.warn(`predict tests skipped: no ${FASHION} or ${PYDICOM_CORPUS}`);

const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

interface PredictedFile {
  file: string;
  label: string;
  probabilities: number[];
  similar: { id: string; label: string; score: number }[];
}

/** The first `count` T-shirts (0) and trousers (1) of the Fashion-MNIST test set. */
function fashionImages(count: number): { pixels: Uint8Array; label: number }[] {
  const images = gunzipSync(readFileSync(`${FASHION}/t10k-images-idx3-ubyte.gz`)).subarray(16);
  const labels = gunzipSync(readFileSync(`${FASHION}/t10k-labels-idx1-ubyte.gz`)).subarray(8);
  const out: { pixels: Uint8Array; label: number }[] = [];
  for (let i = 0; i < labels.length && out.length < count; i++) {
    if (labels[i]! <= 1) out.push({ pixels: images.slice(i * 784, (i + 1) * 784), label: labels[i]! });
  }
  return out;
}

describe.skipIf(!available)('cvf predict', () => {
  let dir: string;
  let bundle: string;
  let files: string[];
  /** Label of each synthetic slice, by file index. */
  let labels: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-predict-'));
    const root = join(dir, 'dicom');
    mkdirSync(root);
    const rows = ['sopInstanceUID,label'];
    labels = [];
    for (const [i, { pixels, label }] of fashionImages(60).entries()) {
      labels.push(label === 0 ? 'normal' : 'abnormal');
      // Pixel 0..255 → HU −1350..150 (the lung window), stored unsigned with intercept −2048.
      const stored = Uint16Array.from(pixels, (p) => Math.round((p / 255) * 1500 - 1350 + 2048));
      const sop = `2.25.${2000 + i}`;
      const file = createSecondaryCapture({ rows: 28, columns: 28, pixels: stored, bitsStored: 12, modality: 'CT', rescale: { slope: 1, intercept: -2048 }, patientId: `P${i}`, sopInstanceUID: sop });
      writeFileSync(join(root, `${i}.dcm`), writeDicom(file));
      rows.push(`${sop},${labels[i]}`);
    }
    writeFileSync(join(dir, 'labels.csv'), `${rows.join('\n')}\n`);
    // Nearest resize 28 → 32 runs on the device for DICOM (the resize-nearest kernel).
    writeFileSync(
      join(dir, 'pipeline.yaml'),
      `version: 1
name: ct-predict
data:
  source: { kind: dicom-folder, root: dicom, labels: { path: labels.csv } }
  splits: { train: 0.7, val: 0.15, test: 0.15, seed: 3 }
preprocess:
  resize: { height: 32, width: 32, mode: nearest }
  color: gray
  window: { preset: ct-lung }
  normalize: { mean: [0.5], std: [0.25] }
features:
  kind: hog
  hog: { cellSize: 8, blockSize: 2, bins: 9 }
pca: { enabled: true, components: 16 }
index: { kind: flat, metric: cosine, k: 3 }
model: { head: softmax }
train: { epochs: 30, batchSize: 16, optimizer: { kind: adam, lr: 0.01 } }
registry: { register: false }
tracking: { store: ${join(dir, '.cvf')} }
`,
    );
    const trained = await runCli('train', join(dir, 'pipeline.yaml'), '--json');
    expect(trained.exitCode, trained.stdout.slice(-2000) + trained.stderr).toBe(0);
    const lines = trained.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]!) as { bundle: string; metrics: { test: { accuracy: number } } };
    expect(summary.metrics.test.accuracy).toBeGreaterThan(0.8);
    bundle = summary.bundle;
    // Synthetic and real DICOM (CT with a rescale, MR with its own window), and a PNG in the same call.
    const png = join(dir, 'slice.png');
    writeFileSync(png, await encodePng(imageTensor('u8', { height: 28, width: 28, channels: 1 }, fashionImages(1)[0]!.pixels)));
    const [normal, abnormal] = [labels.indexOf('normal'), labels.indexOf('abnormal')];
    files = [join(root, `${abnormal}.dcm`), join(PYDICOM_CORPUS, 'CT_small.dcm'), png, join(root, `${normal}.dcm`), join(PYDICOM_CORPUS, 'MR_small.dcm')];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function predict(...args: string[]): Promise<PredictedFile[]> {
    const result = await runCli('predict', bundle, ...files, '--json', ...args);
    expect(result.exitCode, result.stdout.slice(-2000) + result.stderr).toBe(0);
    return JSON.parse(result.stdout) as PredictedFile[];
  }

  it('--threads 2 searches the case index on two threads (worker threads over shared memory) with the same predictions as one', async () => {
    expect(await predict('--device', 'cpu', '--threads', '2')).toEqual(await predict('--device', 'cpu', '--threads', '1'));
  });

  it.skipIf(gpu.device === undefined)('--device cpu and --device webgpu --allow-software agree to 1e-4 on DICOM and PNG files in one call', async () => {
    const cpu = await predict('--device', 'cpu');
    const webgpu = await predict('--device', 'webgpu', '--allow-software');
    expect(webgpu.map((p) => p.file)).toEqual(files);
    let worst = 0;
    cpu.forEach((want, i) => {
      const got = webgpu[i]!;
      expect(got.label, want.file).toBe(want.label);
      expect(got.similar.map((s) => s.id), want.file).toEqual(want.similar.map((s) => s.id));
      want.probabilities.forEach((p, c) => (worst = Math.max(worst, Math.abs(p - got.probabilities[c]!))));
    });
    console.log(`cvf predict, --device cpu vs webgpu: max |Δ probability| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(1e-4);
    // The training slices are recognised either way.
    expect([cpu[0]!.label, cpu[3]!.label]).toEqual(['abnormal', 'normal']);
  });

  it.skipIf(gpu.device === undefined)('--device webgpu refuses a software adapter unless --allow-software', async () => {
    const result = await runCli('predict', bundle, files[0]!, '--json', '--device', 'webgpu');
    if (isSoftwareAdapter(gpu.device!.adapter!)) {
      expect(result.exitCode).toBe(2);
      expect(JSON.parse(result.stdout).error).toMatchObject({ code: 'WEBGPU_UNAVAILABLE', message: expect.stringContaining('--allow-software') });
    } else {
      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    }
  });

  it('an unsupported file is INPUT_UNSUPPORTED_MEDIA naming it, and the DICOM beside it is still predicted (exit code 1)', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not an image\n');
    const result = await runCli('predict', bundle, files[0]!, text, '--json', '--device', 'cpu');
    expect(result.exitCode).toBe(1);
    const [predicted, refused] = JSON.parse(result.stdout);
    expect(predicted).toMatchObject({ file: files[0], label: 'abnormal' });
    expect(refused).toEqual({ file: text, error: { code: 'INPUT_UNSUPPORTED_MEDIA', message: expect.stringContaining(text) } });
  });

  describe.each([
    ['cpu', new CpuDevice() as Device],
    ['webgpu', gpu.device as Device | undefined],
  ])('on %s', (name, device) => {
    it.skipIf(device === undefined)('DICOM predictions through decodeInput equal the old path (host image ×255) within 1e-5 on real files', async () => {
      const loaded = await readBundleFolder(bundle);
      const predictor = await Predictor.load(loaded, { device: device!, onnxRuntime: await createOrtNodeRuntime() });
      const window = (loaded.manifest.preprocess as PreprocessConfig).window;
      const dicomFiles = files.filter((f) => !f.endsWith('.png'));
      const bytes = dicomFiles.map((f) => new Uint8Array(readFileSync(f)));
      const old = await Promise.all(bytes.map((b) => dicomSampleImage(parseDicom(b), { device: device!, window })));
      const decoded = await Promise.all(bytes.map((b) => decodeInput(b, undefined, { device: device!, decoder: sharpImageDecoder, dicom: dicomInputDecoder, window })));
      const [want, got] = [await predictor.predict(old), await predictor.predict(decoded)];
      let worst = 0;
      want.forEach((w, i) => w.probabilities.forEach((p, c) => (worst = Math.max(worst, Math.abs(p - got[i]!.probabilities[c]!)))));
      console.log(`predictions on ${name}, decodeInput vs the old host path: max |Δ probability| ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(1e-5);
      expect(got.map((p) => p.similar.map((s) => s.id))).toEqual(want.map((p) => p.similar.map((s) => s.id)));
      decoded.forEach(disposeDecodedInput);
      await predictor.release();
    });
  });
});
