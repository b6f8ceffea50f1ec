import type { Device } from '../compute/device.js';
import type { FastMatmul } from '../compute/fast-matmul/fast-matmul.js';
import { applyTemperature } from '../eval/temperature.js';
import { BundleError } from '../errors.js';
import type { FeatureExtractor } from '../features/feature-extractor.js';
import { loadFeatureExtractor } from '../features/load-feature-extractor.js';
import { Pca } from '../features/pca/pca.js';
import { preprocessImages, type PreprocessConfig } from '../image/preprocess-image.js';
import type { ImageTensor } from '../image/image-tensor.js';
import { deserializeIndex } from '../index/persist/index-persistence.js';
import type { VectorIndex } from '../index/types.js';
import type { OnnxRuntime, OnnxSession } from '../onnx/session.js';
import { knnVoteOfHits } from '../train/knn.js';
import type { Bundle } from './bundle.js';
import type { BundleStage } from './bundle-manifest.js';
import { decodeThumbnails, type Thumbnails } from './thumbnails.js';

interface KnnSettings {
  readonly k: number;
  readonly weighting: 'uniform' | 'distance';
}

export interface Prediction {
  readonly classIndex: number;
  readonly label: string;
  readonly probabilities: number[];
  /** The `postprocess.topK` most probable classes, most probable first. */
  readonly top: { classIndex: number; label: string; probability: number }[];
  /** The most similar training cases, most similar first. */
  readonly similar: { id: string; label: string; score: number }[];
}

/** What predicting needs from where it runs. The head runs in ONNX Runtime when one is given. */
export interface PredictorContext {
  readonly device: Device;
  readonly onnxRuntime?: OnnxRuntime;
  readonly fastMatmul?: FastMatmul;
}

/**
 * A bundle, loaded for serving: the same preprocessing, extractor, PCA and head that training
 * evaluated, plus the case index for similar cases. Used by `cvf predict`, the edge runtime and
 * the studio's viewer.
 */
/** The loaded stages of a bundle. */
interface PredictorParts {
  readonly device: Device;
  readonly extractor: FeatureExtractor;
  readonly pca: Pca | null;
  readonly index: VectorIndex;
  readonly cases: { readonly ids: string[]; readonly labels: string[] };
  /** The ONNX head; null for a kNN head, which votes over the index. */
  readonly head: OnnxSession | null;
  readonly knn: KnnSettings | null;
  readonly thumbnails: Thumbnails | null;
}

export class Predictor {
  readonly bundle: Bundle;
  readonly #parts: PredictorParts;

  private constructor(bundle: Bundle, parts: PredictorParts) {
    this.bundle = bundle;
    this.#parts = parts;
  }

  static async load(bundle: Bundle, context: PredictorContext): Promise<Predictor> {
    const stage = (name: string) => bundle.manifest.stages.find((s) => s.name === name);
    const file = (path: string | undefined) => {
      const bytes = path === undefined ? undefined : bundle.files.get(path);
      if (!bytes) throw new BundleError('BUNDLE_INVALID', `bundle "${bundle.manifest.name}" lacks ${path ?? 'a file its stages need'}`);
      return bytes;
    };
    const extractorStage = required(stage('extractor'), 'extractor');
    const headStage = required(stage('head'), 'head');
    const indexStage = required(stage('index'), 'index');
    const extractor = await loadFeatureExtractor(file(extractorStage.files[0]), { device: context.device, ...(context.onnxRuntime ? { runtime: context.onnxRuntime } : {}) });
    const pcaStage = stage('pca');
    const pca = pcaStage ? Pca.load(file(pcaStage.files[0]), { device: context.device, ...(context.fastMatmul ? { fastMatmul: context.fastMatmul } : {}) }) : null;
    const index = await deserializeIndex(file(indexStage.files[0]));
    const cases = JSON.parse(new TextDecoder().decode(file(indexStage.files[1]))) as { ids: string[]; labels: string[] };
    let head: OnnxSession | null = null;
    let knn: KnnSettings | null = null;
    if (headStage.kind === 'knn') {
      const params = headStage.params as { knn?: { k: number; weighting: 'uniform' | 'distance' } };
      knn = params.knn ?? { k: 5, weighting: 'distance' };
    } else {
      if (!context.onnxRuntime) throw new BundleError('BUNDLE_INVALID', 'this bundle\'s head is an ONNX graph: give the predictor an ONNX runtime');
      // The head is a few small products: the runtime's CPU provider beats a GPU round trip.
      head = await context.onnxRuntime.createSession(file('head.onnx'), { executionProviders: [context.onnxRuntime.name === 'onnxruntime-node' ? 'cpu' : 'wasm'] });
    }
    const thumbnailFile = indexStage.files[2];
    const thumbnails = thumbnailFile ? await decodeThumbnails(file(thumbnailFile)) : null;
    return new Predictor(bundle, { device: context.device, extractor, pca, index, cases, head, knn, thumbnails });
  }

  /** Predictions for decoded images, in order. */
  async predict(images: readonly ImageTensor[], options: { similar?: number } = {}): Promise<Prediction[]> {
    if (images.length === 0) return [];
    const { manifest } = this.bundle;
    const batch = await preprocessImages(this.#parts.device, images, manifest.preprocess as PreprocessConfig);
    let features = await this.#parts.extractor.transform(batch);
    batch.dispose();
    if (this.#parts.pca) {
      const projected = await this.#parts.pca.transform(features);
      features.dispose();
      features = projected;
    }
    const values = (await this.#parts.device.read(features)) as Float32Array;
    const [rows, dim] = features.shape as [number, number];
    features.dispose();
    const k = options.similar ?? (manifest.stages.find((s) => s.name === 'index')?.params as { k?: number } | undefined)?.k ?? 5;
    const neighbours = this.#parts.index.searchBatch(values, { k: Math.max(k, this.#parts.knn?.k ?? 0) });
    const probabilities = await this.#probabilities(values, rows, dim, neighbours);
    const classes = manifest.classes;
    return neighbours.map((hits, row) => {
      const p = Array.from(probabilities.subarray(row * classes.length, (row + 1) * classes.length));
      const classIndex = p.indexOf(Math.max(...p));
      const ranked = p.map((probability, c) => ({ classIndex: c, label: classes[c]!, probability })).sort((a, b) => b.probability - a.probability || a.classIndex - b.classIndex);
      return {
        classIndex,
        label: classes[classIndex]!,
        probabilities: p,
        top: ranked.slice(0, manifest.postprocess?.topK ?? DEFAULT_TOP_K),
        similar: hits.slice(0, k).map((hit) => ({ id: this.#parts.cases.ids[hit.id] ?? String(hit.id), label: this.#parts.cases.labels[hit.id] ?? '', score: hit.score })),
      };
    });
  }

  /** The small picture of a training case (by its id in `similar`), for showing similar cases. */
  thumbnail(caseId: string): ImageTensor<'u8'> | null {
    const index = this.#parts.cases.ids.indexOf(caseId);
    return index < 0 ? null : (this.#parts.thumbnails?.get(index) ?? null);
  }

  async release(): Promise<void> {
    await this.#parts.head?.release();
  }

  async #probabilities(values: Float32Array, rows: number, dim: number, neighbours: { id: number; score: number }[][]): Promise<Float32Array> {
    const classes = this.bundle.manifest.classes;
    if (this.#parts.head) {
      const out = await this.#parts.head.run({ [this.#parts.head.inputNames[0]!]: { type: 'float32', dims: [rows, dim], data: values } });
      return out[this.#parts.head.outputNames[0]!]!.data as Float32Array;
    }
    const { k, weighting } = this.#parts.knn!;
    const labelIndex = new Map(classes.map((c, i) => [c, i]));
    const metric = (this.bundle.manifest.stages.find((s) => s.name === 'index')?.params as { metric?: string } | undefined)?.metric;
    const votes = knnVoteOfHits(neighbours, (id) => labelIndex.get(this.#parts.cases.labels[id] ?? '') ?? -1, classes.length, { k, weighting, ...(metric ? { metric } : {}) });
    // A trained head has its temperature in its graph; the kNN vote gets it here.
    const temperature = this.bundle.manifest.postprocess?.temperature ?? 1;
    return temperature === 1 ? votes : applyTemperature(votes, classes.length, temperature);
  }
}

/** Top classes reported by bundles written before `postprocess` was in the manifest. */
const DEFAULT_TOP_K = 3;

function required(stage: BundleStage | undefined, name: string): BundleStage {
  if (!stage) throw new BundleError('BUNDLE_INVALID', `the bundle has no "${name}" stage`);
  return stage;
}
