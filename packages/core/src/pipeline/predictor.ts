import { findStage, requireStage, stageFiles, type Bundle } from '../bundle/bundle.js';
import type { CaseIndex } from '../bundle/kinds/case-index.js';
import { argmaxNeverRefer, type DecisionParams } from '../bundle/kinds/decision.js';
import type { KnnSettings } from '../bundle/kinds/knn-head.js';
import { loadBundle, type BundleSource } from '../bundle/source.js';
import type { StageContext } from '../bundle/stage-kind.js';
import { STAGE_KINDS } from '../bundle/stage-table.js';
import type { Thumbnails } from '../bundle/thumbnails.js';
import type { Device } from '../compute/device.js';
import { applyTemperature } from '../eval/temperature.js';
import type { FeatureExtractor } from '../features/feature-extractor.js';
import { FlatIndexBase } from '../index/flat/flat-base.js';
import type { Pca } from '../features/pca/pca.js';
import type { DecodedInput } from '../image/decoded-input.js';
import { inputContractMismatches, type ContractMismatch } from '../image/input-contract.js';
import { hitDistance } from '../bundle/kinds/out-of-distribution.js';
import type { ImageTensor } from '../image/image-tensor.js';
import { preprocessImages } from '../image/preprocess-image.js';
import type { OnnxRunOptions, OnnxSession } from '../onnx/session.js';
import { inputImageStatistics, type InputImageStatistics } from '../monitor/input-drift/image-statistics.js';
import { knnVoteOfHits } from '../train/knn.js';
import { ComposedForward, type ForwardResult } from './composed-forward.js';
import { decide } from './decision/decide.js';
import type { Decision } from './decision/decision.js';
import { assertStagesAgree } from './predictor-consistency.js';
import { averageProbabilities } from './ensemble-average.js';
import { assertSameClasses } from '../bundle/kinds/ensemble.js';

export interface Prediction {
  readonly classIndex: number;
  readonly label: string;
  readonly probabilities: number[];
  /** The `postprocess.topK` most probable classes, most probable first. */
  readonly top: { classIndex: number; label: string; probability: number }[];
  /** The most similar training cases, most similar first. */
  readonly similar: { id: string; label: string; score: number }[];
  /**
   * Whether the nearest training case is farther than the bundle's out-of-distribution threshold
   * (a quantile of the training cases' own nearest-neighbour distances), with that distance and
   * the threshold. Absent for bundles written without a threshold.
   */
  readonly outOfDistribution?: boolean;
  readonly nearestCaseDistance?: number;
  readonly distanceThreshold?: number;
  /** The input contract fields the image did not meet, when it was decoded with allowContractMismatch. */
  readonly contractMismatches?: readonly ContractMismatch[];
  /** The image's features after PCA (what the index and head see), when asked for with `features: true`. */
  readonly features?: number[];
  /** The image's intensity statistics before the extractor (the input drift detector's data), when asked for with `inputStatistics: true`. */
  readonly inputStatistics?: InputImageStatistics;
  /**
   * The decision: operating points and referral of the bundle's decision stage; a bundle written
   * before that stage decides argmax and never refers.
   */
  readonly decision: Decision;
}

export interface PredictOptions {
  /** Similar cases per image (default: the bundle index's k). */
  readonly similar?: number;
  /** Include each image's features (after PCA), e.g. for an inference log that monitors drift. */
  readonly features?: boolean;
  /** Include each image's intensity statistics (mean, spread, histogram, size; no pixels), for input drift monitoring. */
  readonly inputStatistics?: boolean;
  /** The caller only waits for this answer: ONNX Runtime may run on its thread (OnnxRunOptions.callingThread). */
  readonly callingThread?: boolean;
}

/** What predicting needs from where it runs. The head runs in ONNX Runtime when one is given. */
export interface PredictorContext extends StageContext {
  /**
   * Run a bundle's composed graph (the whole forward pass in one ONNX Runtime session) on a CPU
   * Device where the bundle has one (default true); false runs the staged kernels and sessions —
   * to compare the two, or to time a stage.
   */
  readonly composed?: boolean;
}

/** The loaded stages of a bundle. */
interface PredictorParts {
  readonly device: Device;
  /** The whole forward pass in one ONNX Runtime session, on a CPU Device when the bundle has it; the staged extractor is then not loaded. */
  readonly composed: ComposedForward | null;
  readonly extractor: FeatureExtractor | null;
  readonly pca: Pca | null;
  readonly caseIndex: CaseIndex;
  /** The ONNX head; null for a kNN head, which votes over the index. */
  readonly head: OnnxSession | null;
  readonly knn: KnnSettings | null;
  readonly thumbnails: Thumbnails | null;
  readonly decision: DecisionParams;
  /** The ensemble member (an `ensemble` stage): a second model whose probabilities are averaged with this one's. */
  readonly member: Predictor | null;
}

/**
 * A bundle, loaded for serving: the same preprocessing, extractor, PCA and head that training
 * evaluated, plus the case index for similar cases. Isomorphic: `cvf predict`, the edge runtime
 * and the studio's viewer load it through a BundleSource (folder, tar, HTTP, IndexedDB).
 */
export class Predictor {
  readonly bundle: Bundle;
  readonly #parts: PredictorParts;

  private constructor(bundle: Bundle, parts: PredictorParts) {
    this.bundle = bundle;
    this.#parts = parts;
  }

  /** How the forward pass runs: one composed ONNX graph, or the staged preprocessing, extractor, PCA and head. */
  get forward(): 'composed' | 'staged' {
    return this.#parts.composed ? 'composed' : 'staged';
  }

  /** Reads and verifies the bundle from `source` (or takes one already opened), then loads its stages. */
  static async load(from: BundleSource | Bundle, context: PredictorContext): Promise<Predictor> {
    const bundle = 'manifest' in from ? from : await loadBundle(from, { diskIndexInPlace: true });
    const { manifest } = bundle;
    const extractorStage = requireStage(manifest, 'extractor');
    const indexStage = requireStage(manifest, 'index');
    const pcaStage = findStage(manifest, 'pca');
    const headStage = findStage(manifest, 'head');
    const knnStage = findStage(manifest, 'knn-head');
    const thumbnailsStage = findStage(manifest, 'thumbnails');
    const decision = findStage(manifest, 'decision')?.params ?? argmaxNeverRefer(indexStage.params.k);
    if (!headStage && !knnStage) requireStage(manifest, 'head');
    const ensembleStage = findStage(manifest, 'ensemble');
    const memberBundle = ensembleStage ? await STAGE_KINDS.ensemble.load(ensembleStage, stageFiles(bundle, ensembleStage)) : null;
    if (memberBundle) assertSameClasses(memberBundle, manifest.classes);
    const composed = context.composed === false ? null : await ComposedForward.load(bundle, context.device, context.onnxRuntime);
    const extractor = composed ? null : await STAGE_KINDS.extractor.load(extractorStage, stageFiles(bundle, extractorStage), context);
    const pca = pcaStage ? STAGE_KINDS.pca.load(pcaStage, stageFiles(bundle, pcaStage), context) : null;
    const caseIndex = await STAGE_KINDS.index.load(indexStage, stageFiles(bundle, indexStage), bundle.inPlace, context.scanPool);
    const loadedHead = headStage ? await STAGE_KINDS.head.load(headStage, stageFiles(bundle, headStage), context) : null;
    const head = loadedHead?.session ?? null;
    const thumbnails = thumbnailsStage ? await STAGE_KINDS.thumbnails.load(thumbnailsStage, stageFiles(bundle, thumbnailsStage)) : null;
    let member: Predictor | null;
    try {
      await assertStagesAgree(manifest, { pca, caseIndex, head: loadedHead });
      // Loaded last: a member that fails releases its own sessions, and this bundle's here.
      member = memberBundle ? await Predictor.load(memberBundle, context) : null;
    } catch (error) {
      await head?.release();
      await composed?.release();
      if (caseIndex.index.kind === 'lancedb') await caseIndex.index.close();
      throw error;
    }
    return new Predictor(bundle, { device: context.device, composed, extractor, pca, caseIndex, head, knn: knnStage?.params ?? null, thumbnails, decision, member });
  }

  /** Predictions for decoded images (host images or images on the Device, see decodeInput), in order. */
  async predict(images: readonly DecodedInput[], options: PredictOptions = {}): Promise<Prediction[]> {
    if (images.length === 0) return [];
    const { manifest } = this.bundle;
    const { caseIndex } = this.#parts;
    const inputStatistics = options.inputStatistics ? await Promise.all(images.map((image) => inputImageStatistics(this.#parts.device, image, manifest.preprocess.normalize.scale))) : null;
    const run: OnnxRunOptions = { callingThread: options.callingThread ?? false };
    const { features: values, dim, probabilities: forwardProbabilities } = await this.#forward(images, run);
    const rows = images.length;
    const indexStage = requireStage(manifest, 'index');
    const ood = indexStage.outOfDistribution;
    const k = options.similar ?? indexStage.params.k;
    // At least one neighbour even for `similar: 0` (no similar cases shown): searches need k ≥ 1.
    const { decision } = this.#parts;
    const search = { k: Math.max(k, this.#parts.knn?.k ?? 0, decision.referral.knnK, 1) };
    // A flat index loaded with the context's scanPool searches on its threads (the same hits).
    const neighbours = caseIndex.index instanceof FlatIndexBase && caseIndex.index.threads > 1 ? await caseIndex.index.searchBatchParallel(values, search) : await caseIndex.index.searchBatch(values, search);
    const own = forwardProbabilities ?? (await this.#probabilities(values, rows, dim, neighbours, run));
    const probabilities = this.#parts.member ? averageProbabilities(own, await this.#parts.member.#probabilitiesOf(images, run)) : own;
    const classes = manifest.classes;
    const topK = findStage(manifest, 'postprocess')?.params.topK ?? classes.length;
    const knnVotes = this.#similarCasesVote(neighbours, decision.referral.knnK);
    const model = { name: manifest.name, version: manifest.version, configHash: manifest.configHash };
    return neighbours.map((hits, row) => {
      const p = Array.from(probabilities.subarray(row * classes.length, (row + 1) * classes.length));
      const classIndex = p.indexOf(Math.max(...p));
      const ranked = p.map((probability, c) => ({ classIndex: c, label: classes[c]!, probability })).sort((a, b) => b.probability - a.probability || a.classIndex - b.classIndex);
      return {
        classIndex,
        label: classes[classIndex]!,
        probabilities: p,
        top: ranked.slice(0, topK),
        similar: hits.slice(0, k).map((hit) => this.#similarCase(hit)),
        ...(ood && hits[0] && distanceFields(hitDistance(indexStage.params.metric, hits[0].score), ood.threshold)),
        ...(inputContractMismatches(images[row]!).length > 0 && { contractMismatches: inputContractMismatches(images[row]!) }),
        ...(options.features && { features: Array.from(values.subarray(row * dim, (row + 1) * dim)) }),
        ...(inputStatistics && { inputStatistics: inputStatistics[row]! }),
        decision: decide(classes, decision, model, {
          probabilities: p,
          knnVote: Array.from(knnVotes.subarray(row * classes.length, (row + 1) * classes.length)),
          evidence: hits.slice(0, decision.referral.knnK).map((hit) => this.#similarCase(hit)),
        }),
      };
    });
  }

  /** Threads that search the case index together (1 unless it was loaded with a scanPool). */
  get searchThreads(): number {
    const { index } = this.#parts.caseIndex;
    return index instanceof FlatIndexBase ? index.threads : 1;
  }

  /** The small picture of a training case (by its id in `similar`), for showing similar cases. */
  thumbnail(caseId: string): ImageTensor<'u8'> | null {
    const index = this.#parts.caseIndex.cases.ids.indexOf(caseId);
    return index < 0 ? null : (this.#parts.thumbnails?.get(index) ?? null);
  }

  async release(): Promise<void> {
    const { index } = this.#parts.caseIndex;
    if (index.kind === 'lancedb') await index.close();
    await this.#parts.head?.release();
    await this.#parts.composed?.release();
    await this.#parts.member?.release();
  }

  /** The class probabilities alone (rows × classes), as an ensemble averages them. */
  async #probabilitiesOf(images: readonly DecodedInput[], run: OnnxRunOptions): Promise<Float32Array> {
    return Float32Array.from((await this.predict(images, { similar: 0, callingThread: run.callingThread ?? false })).flatMap((prediction) => prediction.probabilities));
  }

  /** Features after PCA and, from the composed graph, the head's probabilities (null: the head runs after the index search). */
  async #forward(images: readonly DecodedInput[], run: OnnxRunOptions): Promise<ForwardResult> {
    const { device, composed, extractor, pca } = this.#parts;
    if (composed) return composed.run(images, run);
    const batch = await preprocessImages(device, images, this.bundle.manifest.preprocess);
    let features = await extractor!.transform(batch);
    batch.dispose();
    if (pca) {
      const projected = await pca.transform(features);
      features.dispose();
      features = projected;
    }
    const values = (await device.read(features)) as Float32Array;
    const dim = features.shape[1]!;
    features.dispose();
    return { features: values, dim, probabilities: null };
  }

  #similarCase(hit: { id: number; score: number }): { id: string; label: string; score: number } {
    const { cases } = this.#parts.caseIndex;
    return { id: cases.ids[hit.id] ?? String(hit.id), label: cases.labels[hit.id] ?? '', score: hit.score };
  }

  /** The majority vote of the `k` most similar cases per image (rows × classes): what the decision's kNN agreement compares with. */
  #similarCasesVote(neighbours: { id: number; score: number }[][], k: number): Float32Array {
    const { manifest } = this.bundle;
    const labelIndex = new Map(manifest.classes.map((c, i) => [c, i]));
    const labelOf = (id: number) => labelIndex.get(this.#parts.caseIndex.cases.labels[id] ?? '') ?? -1;
    return knnVoteOfHits(neighbours, labelOf, manifest.classes.length, { k, weighting: 'uniform', metric: requireStage(manifest, 'index').params.metric });
  }

  async #probabilities(values: Float32Array, rows: number, dim: number, neighbours: { id: number; score: number }[][], run: OnnxRunOptions): Promise<Float32Array> {
    const { manifest } = this.bundle;
    const classes = manifest.classes;
    const { head, knn, caseIndex } = this.#parts;
    if (head) {
      const out = await head.run({ [head.inputNames[0]!]: { type: 'float32', dims: [rows, dim], data: values } }, undefined, run);
      return out[head.outputNames[0]!]!.data as Float32Array;
    }
    const { k, weighting } = knn!;
    const labelIndex = new Map(classes.map((c, i) => [c, i]));
    const metric = requireStage(manifest, 'index').params.metric;
    const votes = knnVoteOfHits(neighbours, (id) => labelIndex.get(caseIndex.cases.labels[id] ?? '') ?? -1, classes.length, { k, weighting, metric });
    // A trained head has its temperature in its graph; the kNN vote gets it here.
    const temperature = findStage(manifest, 'postprocess')?.params.temperature ?? 1;
    return temperature === 1 ? votes : applyTemperature(votes, classes.length, temperature);
  }
}

function distanceFields(nearestCaseDistance: number, distanceThreshold: number): Pick<Prediction, 'outOfDistribution' | 'nearestCaseDistance' | 'distanceThreshold'> {
  return { outOfDistribution: nearestCaseDistance > distanceThreshold, nearestCaseDistance, distanceThreshold };
}
