import { describe, expect, it } from 'vitest';
import { CpuDevice } from '../compute/cpu-device.js';
import { Rng } from '../compute/random.js';
import { preprocessSchema } from '../config/sections/preprocess.js';
import { CvfError } from '../errors.js';
import { OnnxEmbedder } from '../features/onnx/onnx-embedder.js';
import { Pca } from '../features/pca/pca.js';
import { PixelsExtractor } from '../features/pixels/pixels-extractor.js';
import { imageTensor, type ImageTensor } from '../image/image-tensor.js';
import { preprocessImages } from '../image/preprocess-image.js';
import { createOrtNodeRuntime } from '../node/ort-node.js';
import { OnnxGraphBuilder } from '../onnx/graph-builder.js';
import { onnx } from '../onnx/graph-proto.js';
import type { HeadSpec, MlpHeadSpec, SoftmaxHeadSpec } from '../train/head.js';
import { exportHeadToOnnx } from '../train/onnx-export.js';
import { trainHead } from '../train/trainer.js';
import { composeBundleGraph, composedGraphInput, COMPOSED_GRAPH_INPUT, type BundleGraphParts } from './composed-graph.js';

// The composed graph against the staged path Predictor runs: preprocessImages → OnnxEmbedder →
// Pca.transform → the head's ONNX export, on real components fitted and trained on the CPU device.

const runtime = await createOrtNodeRuntime();
const cpu = new CpuDevice();
const SIZE = 8; // the backbones' input height and width

/** A small CNN over [batch, channels, 8, 8]: conv 3×3 (4 filters) → ReLU → 2×2 average pool → 36 features; an unused logits output too. */
function cnn(channels: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const g = new OnnxGraphBuilder('tiny-cnn');
  const x = g.input('pixels', 'float32', ['batch', channels, SIZE, SIZE]);
  const conv = g.conv(x, g.initializer('w', rng.floats(4 * channels * 9, -0.5, 0.5), [4, channels, 3, 3]), g.initializer('b', rng.floats(4, -0.1, 0.1), [4]), { kernelShape: [3, 3] });
  const pooled = g.averagePool(g.relu(conv), { kernelShape: [2, 2], strides: [2, 2] });
  const embedding = g.flatten(pooled, 1);
  g.output(embedding, 'embedding', ['batch', 36]);
  g.output(g.matmul(embedding, g.initializer('logits_w', rng.floats(36 * 3), [36, 3])), 'logits', ['batch', 3]);
  return g.toBytes();
}

/** MatMul + ReLU over the flattened pixels, at opset 13 and with symbolic input dims (embedding size unknown to the composer). */
function flatMlp(channels: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const g = new OnnxGraphBuilder('flat-mlp', { opset: 13 });
  const x = g.input('input', 'float32', ['n', 'c', 'h', 'w']);
  const flat = g.flatten(x, 1);
  g.output(g.relu(g.add(g.matmul(flat, g.initializer('w', rng.floats(channels * SIZE * SIZE * 24, -0.2, 0.2), [channels * SIZE * SIZE, 24])), g.initializer('b', rng.floats(24), [24]))), 'features');
  return g.toBytes();
}

/** 8-bit images with a class-dependent bright band plus noise: three separable classes. */
function images(count: number, { height, width, channels, seed }: { height: number; width: number; channels: 1 | 3 | 4; seed: number }): { images: ImageTensor[]; labels: Int32Array } {
  const rng = new Rng(seed);
  const labels = new Int32Array(count);
  const out: ImageTensor[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % 3;
    labels[i] = label;
    const data = new Uint8Array(height * width * channels);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const band = label === 0 ? y < height / 3 : label === 1 ? x < width / 3 : y + x > height;
        for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = c === 3 ? 255 : Math.round(Math.min(255, (band ? 170 : 40) + 30 * c + rng.uniform(0, 60)));
      }
    }
    out.push(imageTensor('u8', { height, width, channels }, data));
  }
  return { images: out, labels };
}

interface Case {
  name: string;
  preprocess: unknown;
  source: { height: number; width: number; channels: 1 | 3 | 4 };
  backbone: (channels: number, seed: number) => Uint8Array;
  pca: { components: number; whiten: boolean } | null;
  head: Omit<SoftmaxHeadSpec, 'inputDim'> | Omit<MlpHeadSpec, 'inputDim'> | null;
}

const cases: Case[] = [
  {
    name: 'gray, bilinear half_pixel 11×13 → 8×8 from RGB images, PCA whitened, softmax head',
    preprocess: { resize: { height: SIZE, width: SIZE }, color: 'gray', normalize: { mean: [0.5], std: [0.25] } },
    source: { height: 11, width: 13, channels: 3 },
    backbone: cnn,
    pca: { components: 6, whiten: true },
    head: { head: 'softmax', classes: 3 },
  },
  {
    name: 'rgb with ImageNet statistics, no resize (8×8 in), gray images replicated, PCA unwhitened, mlp gelu head',
    preprocess: { resize: { height: SIZE, width: SIZE }, color: 'rgb', normalize: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } },
    source: { height: SIZE, width: SIZE, channels: 1 },
    backbone: cnn,
    pca: { components: 5, whiten: false },
    head: { head: 'mlp', classes: 3, hidden: [7], activation: 'gelu', dropout: 0.1 },
  },
  {
    name: 'gray, nearest align_corners 5×6 → 8×8 from gray images, opset-13 backbone, no PCA, mlp relu head',
    preprocess: { resize: { height: SIZE, width: SIZE, mode: 'nearest', coordinateTransform: 'align_corners' }, color: 'gray', normalize: { scale: 1 / 128, mean: [1], std: [0.5] } },
    source: { height: 5, width: 6, channels: 1 },
    backbone: flatMlp,
    pca: null,
    head: { head: 'mlp', classes: 3, hidden: [6, 5], activation: 'relu', dropout: 0 },
  },
  {
    name: 'rgb, bilinear asymmetric 12×9 → 8×8 from RGBA images (alpha dropped), PCA whitened, kNN (no head)',
    preprocess: { resize: { height: SIZE, width: SIZE, coordinateTransform: 'asymmetric' }, color: 'rgb', normalize: { mean: [0.5, 0.4, 0.3], std: [0.2] } },
    source: { height: 12, width: 9, channels: 4 },
    backbone: cnn,
    pca: { components: 4, whiten: true },
    head: null,
  },
];

/** Max |got − want| / max(1, |want|): absolute for values up to 1, relative beyond. */
function maxError(got: Float32Array, want: Float32Array): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  return worst;
}

const TOLERANCE = 1e-4;

describe('composeBundleGraph', () => {
  for (const c of cases) {
    it(`${c.name}: ONNX Runtime gives the staged path's probabilities and features within ${TOLERANCE}`, async () => {
      const preprocess = preprocessSchema.parse(c.preprocess);
      const channels = preprocess.color === 'rgb' ? 3 : 1;
      const extractor = await OnnxEmbedder.create({ model: c.backbone(channels, 3), executionProviders: ['cpu'], batchSize: 16 }, { runtime, device: cpu });
      const train = images(48, { ...c.source, seed: 1 });
      const test = images(10, { ...c.source, seed: 2 });

      // Staged, as training and Predictor compute it.
      const featuresOf = async (batch: ImageTensor[], pca: Pca | null) => {
        const embedded = await extractor.transform(await preprocessImages(cpu, batch, preprocess));
        return pca ? pca.transform(embedded) : embedded;
      };
      const pca = c.pca ? await new Pca({ ...c.pca, strategy: 'covariance' }, { device: cpu }).fit(await extractor.transform(await preprocessImages(cpu, train.images, preprocess))) : null;
      const trainFeatures = await featuresOf(train.images, pca);
      const dim = trainFeatures.shape[1]!;
      const head = c.head
        ? (await trainHead(cpu, { ...c.head, inputDim: dim } as HeadSpec, { epochs: 4, batchSize: 16, optimizer: { kind: 'adam', lr: 0.02 } }, { features: trainFeatures.data as Float32Array, labels: train.labels })).head
        : null;
      const want = (await featuresOf(test.images, pca)).data as Float32Array;
      let wantProbabilities: Float32Array | null = null;
      if (head) {
        const session = await runtime.createSession(exportHeadToOnnx(head), { executionProviders: ['cpu'] });
        wantProbabilities = (await session.run({ features: { type: 'float32', dims: [test.images.length, dim], data: want } })).probabilities!.data as Float32Array;
        await session.release();
      }

      // Composed: one session from the image.
      const parts: BundleGraphParts = { preprocess, extractor, pca: pca?.state ?? null, head };
      const session = await runtime.createSession(composeBundleGraph(parts), { executionProviders: ['cpu'] });
      expect(session.inputNames).toEqual([COMPOSED_GRAPH_INPUT]);
      expect(session.outputNames).toEqual(head ? ['probabilities', 'features'] : ['features']);
      const out = await session.run({ image: composedGraphInput(test.images) });
      await session.release();
      await extractor.release();

      expect(out.features!.dims).toEqual([test.images.length, dim]);
      expect(maxError(out.features!.data as Float32Array, want)).toBeLessThan(TOLERANCE);
      if (wantProbabilities) {
        expect(out.probabilities!.dims).toEqual([test.images.length, 3]);
        expect(maxError(out.probabilities!.data as Float32Array, wantProbabilities)).toBeLessThan(TOLERANCE);
      }
    });
  }

  it('takes any image size and gray or RGB images in the same graph', async () => {
    const preprocess = preprocessSchema.parse({ resize: { height: SIZE, width: SIZE }, color: 'gray' });
    const extractor = await OnnxEmbedder.create({ model: cnn(1, 5), executionProviders: ['cpu'] }, { runtime, device: cpu });
    const session = await runtime.createSession(composeBundleGraph({ preprocess, extractor, pca: null, head: null }), { executionProviders: ['cpu'] });
    for (const source of [{ height: 8, width: 8, channels: 1 as const }, { height: 20, width: 7, channels: 3 as const }, { height: 3, width: 4, channels: 1 as const }]) {
      const batch = images(4, { ...source, seed: 9 }).images;
      const want = (await extractor.transform(await preprocessImages(cpu, batch, preprocess))).data as Float32Array;
      const { features } = await session.run({ image: composedGraphInput(batch) });
      expect(maxError(features!.data as Float32Array, want), `${source.height}×${source.width}×${source.channels}`).toBeLessThan(TOLERANCE);
    }
    await session.release();
    await extractor.release();
  });

  it('merges the backbone under a prefix at its own opset, keeping only the nodes the embedding needs', async () => {
    const preprocess = preprocessSchema.parse({ resize: { height: SIZE, width: SIZE } });
    const extractor = await OnnxEmbedder.create({ model: flatMlp(1, 1), executionProviders: ['cpu'] }, { runtime, device: cpu });
    const model = onnx.ModelProto.decode(composeBundleGraph({ preprocess, extractor, pca: null, head: null }));
    expect(model.opsetImport!.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
    const names = model.graph!.node!.map((n) => n.name!);
    expect(names.filter((n) => n.startsWith('backbone/'))).toHaveLength(5); // Flatten, MatMul, Add, Relu, Identity (its output's name)
    expect(model.graph!.initializer!.map((t) => t.name)).toEqual(expect.arrayContaining(['backbone/w', 'backbone/b']));
    await extractor.release();

    const cnnExtractor = await OnnxEmbedder.create({ model: cnn(1, 1), executionProviders: ['cpu'] }, { runtime, device: cpu });
    const pruned = onnx.ModelProto.decode(composeBundleGraph({ preprocess, extractor: cnnExtractor, pca: null, head: null }));
    expect(pruned.graph!.initializer!.map((t) => t.name)).not.toContain('backbone/logits_w');
    expect(pruned.graph!.output!.map((o) => o.name)).toEqual(['features']);
    await cnnExtractor.release();
  });

  describe('refuses what it cannot compose, with a clear error', () => {
    const preprocess = preprocessSchema.parse({ resize: { height: SIZE, width: SIZE } });
    const codeOf = async (parts: () => BundleGraphParts | Promise<BundleGraphParts>) => {
      try {
        composeBundleGraph(await parts());
      } catch (error) {
        expect(error).toBeInstanceOf(CvfError);
        return { code: (error as CvfError).code, message: (error as CvfError).message };
      }
      throw new Error('composeBundleGraph did not throw');
    };
    const embedder = (model: Uint8Array) => OnnxEmbedder.create({ model, executionProviders: ['cpu'] }, { runtime, device: cpu });

    it('a non-ONNX extractor', async () => {
      const error = await codeOf(() => ({ preprocess, extractor: new PixelsExtractor({}, cpu), pca: null, head: null }));
      expect(error.code).toBe('PIPELINE_UNSUPPORTED');
      expect(error.message).toMatch(/extractor is "pixels"; only an onnx extractor composes/);
    });

    it('a preprocess option the graph does not express', async () => {
      const extractor = await embedder(cnn(1, 1));
      const crop = await codeOf(() => ({ preprocess: { ...preprocess, crop: { height: 6, width: 6 } } as never, extractor, pca: null, head: null }));
      expect(crop).toMatchObject({ code: 'PIPELINE_UNSUPPORTED', message: expect.stringMatching(/preprocess\.crop is not expressed/) });
      const bicubic = await codeOf(() => ({ preprocess: { ...preprocess, resize: { ...preprocess.resize, mode: 'bicubic' as never } }, extractor, pca: null, head: null }));
      expect(bicubic).toMatchObject({ code: 'PIPELINE_UNSUPPORTED', message: expect.stringMatching(/resize\.mode "bicubic"/) });
      const antialias = await codeOf(() => ({ preprocess: { ...preprocess, resize: { ...preprocess.resize, antialias: true } as never }, extractor, pca: null, head: null }));
      expect(antialias).toMatchObject({ code: 'PIPELINE_UNSUPPORTED', message: expect.stringMatching(/resize\.antialias/) });
      await extractor.release();
    });

    it('a backbone at an opset below 13, or whose input is not the preprocessed size', async () => {
      const old = new OnnxGraphBuilder('old', { opset: 11 });
      old.output(old.relu(old.flatten(old.input('x', 'float32', ['n', 1, SIZE, SIZE]))), 'y');
      const oldExtractor = await embedder(old.toBytes());
      expect(await codeOf(() => ({ preprocess, extractor: oldExtractor, pca: null, head: null }))).toMatchObject({ code: 'PIPELINE_UNSUPPORTED', message: expect.stringMatching(/opset 11; the composed graph needs opset 13\.\.23/) });
      const rgbExtractor = await embedder(cnn(3, 1));
      expect(await codeOf(() => ({ preprocess, extractor: rgbExtractor, pca: null, head: null }))).toMatchObject({ code: 'SHAPE_MISMATCH', message: expect.stringMatching(/input "pixels" is \[batch, 3, 8, 8\], but preprocessing gives \[batch, 1, 8, 8\]/) });
      await oldExtractor.release();
      await rgbExtractor.release();
    });

    it('a head or PCA whose width does not fit the features', async () => {
      const extractor = await embedder(cnn(1, 1));
      const head = (inputDim: number) => ({ spec: { head: 'softmax', inputDim, classes: 2 } as const, layers: [] });
      expect(await codeOf(() => ({ preprocess, extractor, pca: null, head: head(5) }))).toMatchObject({ code: 'SHAPE_MISMATCH', message: expect.stringMatching(/head takes 5 features, but the stages before it give 36/) });
      await extractor.release();
    });
  });
});
