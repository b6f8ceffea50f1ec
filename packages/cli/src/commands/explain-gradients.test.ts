import { CnnSaliencySession, CpuDevice, decodeComponentState, decodeInput, gradCam, loadBundle, loadHead, onnxFloatInitializers, Pca, preprocessImages, Rng, type CnnSpec } from '@cvf/core';
import { bundleSourceAt, createOrtNodeRuntime, sharpImageDecoder } from '@cvf/core/node';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternPipeline, patternPng, PATTERN_CLASSES, PATTERN_SIZE, writePatternFolders } from '../testing/pattern-images.js';
import { explainJson, trainBundle } from '../testing/trained-bundle.js';
import { mapSummary } from './explain-summary.js';

// `cvf explain --method gradcam|ig` on a tiny cnn bundle trained here (16×16 patterns, a conv and
// a residual block, PCA to 4): the bundle's ONNX read back into tape layers gives the map that
// core's Grad-CAM graph (checked against PyTorch) gives on the same weights.

const BLOCKS: CnnSpec['blocks'] = [
  { kind: 'conv', channels: 4, kernel: 3, stride: 1 },
  { kind: 'maxpool', size: 2 },
  { kind: 'residual', channels: 6, stride: 1 },
];
const CNN = `model: { head: cnn, cnn: { blocks: [{ kind: conv, channels: 4 }, { kind: maxpool }, { kind: residual, channels: 6 }] } }
pca: { enabled: true, components: 4 }
features: { kind: pixels }
train: { epochs: 4, batchSize: 8, optimizer: { kind: adam, lr: 0.01 }, seed: 1 }`;

describe('cvf explain --method gradcam|ig on a cnn bundle', () => {
  let dir: string;
  let bundle: string;
  let square: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvf-explain-cnn-'));
    await writePatternFolders(join(dir, 'data'), { perClass: 8, seed: 5 });
    const config = join(dir, 'cnn.yaml');
    // The pattern pipeline's own model, features, pca and train lines give way to the cnn's.
    const text = patternPipeline({ name: 'patterns-cnn', root: join(dir, 'data'), store: join(dir, '.cvf'), model: 'patterns-cnn' })
      .split('\n')
      .filter((line) => !/^(model|pca|features|train):/.test(line))
      .join('\n');
    writeFileSync(config, `${text}\n${CNN}\n`);
    bundle = await trainBundle(config);
    square = join(dir, 'square.png');
    writeFileSync(square, await patternPng(PATTERN_CLASSES.indexOf('square'), new Rng(9), 10));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const explain = (...args: string[]) => explainJson(bundle, square, ...args);

  /** Core's Grad-CAM graph over the bundle's values: the network's from its ONNX, the classifier with PCA folded in (fc = Wᵀ·H, b − mean·Wᵀ·H). */
  async function referenceMap(classIndex: number): Promise<Float32Array> {
    const device = new CpuDevice();
    const loaded = await loadBundle(await bundleSourceAt(bundle));
    const file = (kind: string) => loaded.files.get((loaded.manifest.stages.find((s) => s.kind === kind)!.files as { state: string }).state)!;
    const values = onnxFloatInitializers(decodeComponentState(file('extractor'), 'onnx', [1]).body);
    const pca = Pca.load(file('pca'), { device }).state;
    const head = loadHead(file('head'));
    const [k, classes] = head.layers[0]!.weight.shape as [number, number];
    const h = head.layers[0]!.weight.data as Float32Array;
    const fcWeight = new Float32Array(pca.dim * classes);
    const fcBias = Float32Array.from(head.layers[0]!.bias.data as Float32Array);
    for (let d = 0; d < pca.dim; d++)
      for (let c = 0; c < classes; c++) {
        let sum = 0;
        for (let j = 0; j < k; j++) sum += pca.components[j * pca.dim + d]! * h[j * classes + c]!;
        fcWeight[d * classes + c] = sum;
        fcBias[c]! -= pca.mean[d]! * sum;
      }
    values.set('fc.weight', fcWeight).set('fc.bias', fcBias);
    const spec: CnnSpec = { inputChannels: 1, height: PATTERN_SIZE, width: PATTERN_SIZE, classes, blocks: BLOCKS, bnMomentum: 0.1, bnEpsilon: 1e-5 };
    const session = await CnnSaliencySession.create(await createOrtNodeRuntime(), spec, values);
    try {
      const decoded = await decodeInput(readFileSync(square), 'image/png', { device, decoder: sharpImageDecoder });
      const image = (await device.read(await preprocessImages(device, [decoded], loaded.manifest.preprocess))) as Float32Array;
      return (await gradCam(session, image, classIndex)).map;
    } finally {
      await session.release();
    }
  }

  it("gradcam: the map equals core's Grad-CAM on the bundle's weights, and is written as an overlay", async () => {
    const out = join(dir, 'gradcam.png');
    const result = await explain('--method', 'gradcam', '--out', out);
    expect(result.method).toBe('gradcam');
    expect(result.map).toMatchObject({ height: PATTERN_SIZE, width: PATTERN_SIZE });
    expect(result.evaluations).toBe(2);
    const want = mapSummary({ map: await referenceMap(result.class.index), width: PATTERN_SIZE });
    expect(want.max).toBeGreaterThan(0);
    for (const key of ['min', 'max', 'mean', 'positiveShare'] as const) expect(result.map[key]).toBeCloseTo(want[key], 5);
    expect(result.map.peak).toEqual(want.peak);
    expect(readFileSync(out).subarray(1, 4).toString()).toBe('PNG');
  });

  it('ig: the attributions sum to about the logit gap to the black image', async () => {
    const result = await explain('--method', 'ig', '--steps', '64', '--class', 'square');
    expect(result.class.label).toBe('square');
    expect(result.steps).toBe(64);
    expect(result.evaluations).toBe(66);
    const sum = result.map.mean * PATTERN_SIZE * PATTERN_SIZE;
    const gap = result.class.score - result.baselineScore!;
    expect(Math.abs(sum - gap)).toBeLessThan(0.05 * Math.abs(gap) + 1e-3);
  });
});
