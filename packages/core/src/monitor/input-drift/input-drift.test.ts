// The input detector against scipy on the same numbers (ks_2samp, chi2_contingency),
// and on real Fashion-MNIST images: an i.i.d. window passes, a 30% darker one is caught.
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuDevice } from '../../compute/cpu-device.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { readIdx } from '../../data/idx.js';
import { DriftError } from '../../errors.js';
import { deviceImage } from '../../image/decoded-input.js';
import { imageTensor, type ImageTensor } from '../../image/image-tensor.js';
import { gpuForTests, pythonModules, requireInCi, SYSTEM_PYTHON } from '../../node/testing/index.js';
import { chiSquaredHomogeneity } from './chi-squared.js';
import { INPUT_HISTOGRAM_BINS, inputImageStatistics, type InputImageStatistics } from './image-statistics.js';
import { inputDrift, type InputDriftTest } from './input-drift.js';
import { inputReferenceOf, type InputReference } from './input-reference.js';

const scipyMissing = requireInCi('scipy (python3-scipy)', pythonModules('numpy', 'scipy'));
const FASHION = '/usr/share/datasets/fashion-mnist';

/** Runs a python snippet with `data` (JSON) as variable `data`; it assigns `result`, returned as JSON. */
function python<T>(script: string, data: unknown): T {
  const program = `import json, sys\nimport numpy as np\nfrom scipy import stats\ndata = json.load(sys.stdin)\n${script}\njson.dump(result, sys.stdout)\n`;
  const run = spawnSync(SYSTEM_PYTHON, ['-c', program], { input: JSON.stringify(data), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

const device = new CpuDevice();
const gpu = await gpuForTests();
afterAll(() => gpu.device?.destroy());

describe.skipIf(scipyMissing !== undefined)('input drift tests against scipy', () => {
  it('chi-squared homogeneity as chi2_contingency (no continuity correction), fractional counts and empty columns', () => {
    const rng = new Rng(11);
    const a = Array.from({ length: 32 }, (_, k) => (k > 28 ? 0 : rng.uniform(0, 1) * 40));
    const b = Array.from({ length: 32 }, (_, k) => (k > 28 ? 0 : rng.uniform(0, 1) * 160 + 5));
    const want = python<{ statistic: number; dof: number; p: number }>(
      `t = np.array([data['a'], data['b']])
t = t[:, t.sum(axis=0) > 0]
s, p, dof, _ = stats.chi2_contingency(t, correction=False)
result = {'statistic': float(s), 'dof': int(dof), 'p': float(p)}`,
      { a, b },
    );
    const got = chiSquaredHomogeneity(a, b);
    expect(got.dof).toBe(want.dof);
    expect(got.statistic).toBeCloseTo(want.statistic, 8);
    expect(got.pValue / want.p).toBeCloseTo(1, 8);
    // Far in the tail too.
    const far = chiSquaredHomogeneity([100, 10, 5], [10, 100, 50]);
    const wantFar = python<number>(`result = float(stats.chi2_contingency(np.array(data), correction=False)[1])`, [[100, 10, 5], [10, 100, 50]]);
    expect(far.pValue / wantFar).toBeCloseTo(1, 6);
  });

  describe('on Fashion-MNIST', () => {
    let reference: InputReference;
    let test: ImageTensor<'u8'>[];

    beforeAll(async () => {
      const images = async (file: string, count: number): Promise<ImageTensor<'u8'>[]> => {
        const idx = await readIdx(new Uint8Array(await readFile(`${FASHION}/${file}`)));
        const data = idx.data as Uint8Array;
        return Array.from({ length: count }, (_, i) => imageTensor('u8', { height: 28, width: 28, channels: 1 }, data.slice(i * 784, (i + 1) * 784)));
      };
      const train = await images('train-images-idx3-ubyte.gz', 2000);
      reference = inputReferenceOf(await Promise.all(train.map((image) => inputImageStatistics(device, image, 1 / 255))));
      test = await images('t10k-images-idx3-ubyte.gz', 500);
    });

    const statisticsOf = (images: readonly ImageTensor[]): Promise<InputImageStatistics[]> => Promise.all(images.map((image) => inputImageStatistics(device, image, 1 / 255)));
    const darker = (image: ImageTensor<'u8'>): ImageTensor<'u8'> => imageTensor('u8', { height: 28, width: 28, channels: 1 }, Uint8Array.from(image.data, (v) => Math.round(v * 0.7)));

    /** scipy's own run of the four tests and the Bonferroni combination on the same numbers. */
    function scipyInput(live: InputReference): { p: number; tests: number[] } {
      const json = (r: InputReference) => ({ means: [...r.means], stds: [...r.stds], pixels: [...r.widths].map((w, i) => w * r.heights[i]!), histogram: [...r.histogram] });
      return python(
        `live, ref = data['live'], data['ref']
def ks(a, b):
    return float(stats.ks_2samp(a, b).pvalue)
t = np.array([live['histogram'], ref['histogram']])
t = t[:, t.sum(axis=0) > 0]
ps = [ks(live['means'], ref['means']), ks(live['stds'], ref['stds']), ks(live['pixels'], ref['pixels']), float(stats.chi2_contingency(t, correction=False)[1])]
result = {'p': min(1.0, 4 * min(ps)), 'tests': ps}`,
        { live: json(live), ref: json(reference) },
      );
    }

    it('an i.i.d. window of test images is not drift; its p-values are scipy’s', async () => {
      const live = await statisticsOf(test);
      const result = inputDrift(live, reference);
      const want = scipyInput(inputReferenceOf(live));
      expect(result.method).toBe('input');
      expect(result.n).toBe(500);
      expect(result.drifted).toBe(false);
      expect(result.pValue!).toBeGreaterThan(0.05);
      expect(result.pValue! / want.p).toBeCloseTo(1, 6);
      (result.details!.tests as InputDriftTest[]).forEach((t, i) => expect(t.pValue / want.tests[i]!).toBeCloseTo(1, 6));
    });

    it('a 30% darker window is drift, found by the mean and the histogram; p-values as scipy’s', async () => {
      const live = await statisticsOf(test.map(darker));
      const result = inputDrift(live, reference);
      const want = scipyInput(inputReferenceOf(live));
      expect(result.drifted).toBe(true);
      expect(result.pValue!).toBeLessThan(1e-6);
      const tests = result.details!.tests as InputDriftTest[];
      expect(tests.find((t) => t.name === 'mean')!.pValue).toBeLessThan(1e-6);
      expect(tests.find((t) => t.name === 'histogram')!.pValue).toBeLessThan(1e-6);
      expect(tests.find((t) => t.name === 'size')!.pValue).toBe(1);
      // Far in the tail both are 0 to any purpose (scipy's exact KS underflows to 0 there).
      expect(want.p).toBeLessThan(1e-12);
      tests.forEach((t, i) => (want.tests[i]! > 1e-12 ? expect(t.pValue / want.tests[i]!).toBeCloseTo(1, 6) : expect(t.pValue).toBeLessThan(1e-12)));
    });
  });
});

describe('input image statistics', () => {
  it('a windowed device image (unit range) gives the numbers of the same 8-bit image', async () => {
    const bytes = Uint8Array.from({ length: 6 * 4 }, (_, i) => (i * 37) % 256);
    const host = await inputImageStatistics(device, imageTensor('u8', { height: 4, width: 6, channels: 1 }, bytes), 1 / 255);
    const onDevice = await inputImageStatistics(device, deviceImage(Tensor.cpu('f32', [1, 4, 6], Float32Array.from(bytes, (v) => v / 255)), 'unit'), 1 / 255);
    expect(onDevice.mean).toBeCloseTo(host.mean, 6);
    expect(onDevice.std).toBeCloseTo(host.std, 6);
    expect(onDevice.histogram.map((s) => s.toFixed(6))).toEqual(host.histogram.map((s) => s.toFixed(6)));
    expect([host.width, host.height]).toEqual([6, 4]);
  });

  it('a 16-bit RGBA image counts its colour channels only, as the same values on the device (byte range)', async () => {
    const rgba = Uint16Array.from({ length: 5 * 3 * 4 }, (_, i) => (i % 4 === 3 ? 65535 : (i * 2749) % 4096));
    const rgbPlanar = Float32Array.from({ length: 3 * 15 }, (_, j) => rgba[(j % 15) * 4 + Math.floor(j / 15)]!);
    const host = await inputImageStatistics(device, imageTensor('u16', { height: 3, width: 5, channels: 4 }, rgba), 1 / 4095);
    const onDevice = await inputImageStatistics(device, deviceImage(Tensor.cpu('f32', [3, 3, 5], rgbPlanar), 'byte'), 1 / 4095);
    expect(host.mean).toBeCloseTo(onDevice.mean, 9);
    expect(host.std).toBeCloseTo(onDevice.std, 9);
    expect(host.histogram).toEqual(onDevice.histogram);
  });

  it.skipIf(!gpu.device)('a device image on a WebGPU device is read back once and gives the CPU numbers', async () => {
    const bytes = Uint8Array.from({ length: 3 * 8 * 5 }, (_, i) => (i * 53) % 256);
    const planar = Tensor.cpu('f32', [3, 5, 8], Float32Array.from(bytes, (v) => v / 255));
    const onCpu = await inputImageStatistics(device, deviceImage(planar, 'unit'), 1 / 255);
    const onGpu = gpu.device!.upload(planar) as Tensor<'f32'>;
    const fromGpu = await inputImageStatistics(gpu.device!, deviceImage(onGpu, 'unit'), 1 / 255);
    onGpu.dispose();
    expect(fromGpu.mean).toBeCloseTo(onCpu.mean, 6);
    expect(fromGpu.std).toBeCloseTo(onCpu.std, 6);
    expect(fromGpu.histogram).toEqual(onCpu.histogram);
    expect([fromGpu.width, fromGpu.height]).toEqual([8, 5]);
  });

  it('leaves alpha out, shares sum to 1, values past the range fall in the end bins', async () => {
    // Gray + alpha: gray 0 and 255 alternating, alpha 128 everywhere.
    const ga = await inputImageStatistics(device, imageTensor('u8', { height: 1, width: 4, channels: 2 }, Uint8Array.from([0, 128, 255, 128, 0, 128, 255, 128])), 1 / 255);
    expect(ga.mean).toBeCloseTo(0.5, 12);
    expect(ga.std).toBeCloseTo(0.5, 12);
    expect(ga.histogram[0]).toBe(0.5);
    expect(ga.histogram[INPUT_HISTOGRAM_BINS - 1]).toBe(0.5);
    // 16-bit values on an 8-bit scale overflow into the last bin; negative f32 values into the first.
    const f = await inputImageStatistics(device, imageTensor('f32', { height: 1, width: 3, channels: 1 }, Float32Array.from([-20, 300, 100])), 1 / 255);
    expect(f.histogram.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect([f.histogram[0], f.histogram[INPUT_HISTOGRAM_BINS - 1]]).toEqual([1 / 3, 1 / 3]);
    // An odd count of 8-bit values, all counted: the last one too.
    const odd = await inputImageStatistics(device, imageTensor('u8', { height: 1, width: 1, channels: 3 }, Uint8Array.from([0, 255, 255])), 1 / 255);
    expect(odd.mean).toBeCloseTo(2 / 3, 12);
    expect([odd.histogram[0], odd.histogram[INPUT_HISTOGRAM_BINS - 1]]).toEqual([1 / 3, 2 / 3]);
  });
});

describe('input drift errors', () => {
  const image: InputImageStatistics = { mean: 0.3, std: 0.2, histogram: Array.from({ length: INPUT_HISTOGRAM_BINS }, (_, k) => (k === 3 ? 1 : 0)), width: 28, height: 28 };

  it('a bundle without an input reference is a DRIFT_NO_INPUT_REFERENCE error that says what to do', () => {
    const error = (() => {
      try {
        inputDrift([image, image], undefined);
      } catch (e) {
        return e as DriftError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DriftError);
    expect(error!.code).toBe('DRIFT_NO_INPUT_REFERENCE');
    expect(error!.message).toMatch(/retrain/);
  });

  it('refuses a window of one image, a bad alpha and histograms of another width', () => {
    const reference = inputReferenceOf([image, image, image]);
    expect(() => inputDrift([image], reference)).toThrow(expect.objectContaining({ code: 'DRIFT_INVALID_DATA' }));
    expect(() => inputDrift([image, image], reference, { alpha: 1.5 })).toThrow(expect.objectContaining({ code: 'DRIFT_OPTION_INVALID' }));
    const narrow = { ...image, histogram: [1, 0] };
    expect(() => inputDrift([narrow, narrow], reference)).toThrow(expect.objectContaining({ code: 'DRIFT_REFERENCE_MISMATCH' }));
  });
});
