import type { Device } from '../../compute/device.js';
import { Tensor } from '../../compute/tensor.js';
import { PipelineError } from '../../errors.js';
import { evaluateClassifier, scalarMetrics } from '../../eval/evaluate-classifier.js';
import { OnnxEmbedder } from '../../features/onnx/onnx-embedder.js';
import { PixelsExtractor } from '../../features/pixels/pixels-extractor.js';
import { cnnClassifierHead, exportCnnToOnnx } from '../../train/cnn/cnn-export.js';
import { planCnn, type CnnSpec } from '../../train/cnn/cnn-spec.js';
import { CnnTrainer } from '../../train/cnn/cnn-trainer.js';
import type { Head } from '../../train/head.js';
import { cnnBatchAugmentation } from '../cnn-augment.js';
import { featureMatrix, type FeatureMatrix } from '../feature-matrix.js';
import { prefixed } from '../head-training.js';
import { augmentationEnabled } from '../augment-batch.js';
import type { StageRun } from './context.js';
import { pretrainCnnEmbedder, trainCnnFixMatch } from './cnn-device-training.js';
import type { TrainingData } from './data.js';
import type { SplitFeatures } from './features.js';
import { CHECKPOINT_ARTIFACT, type TrainedModel } from './head.js';
import type { Pca } from '../../features/pca/pca.js';
import { predictProbabilities } from '../../train/predict.js';
import { headProducts } from '../../train/products.js';
import { classifierOverPca } from '../classifier-over-pca.js';

/** Images per ONNX Runtime run when the trained network embeds the splits. */
const EMBED_BATCH = 256;

export interface CnnStageResult {
  /** The trained network up to its pooled penultimate layer, as the bundle's onnx extractor. */
  readonly extractor: OnnxEmbedder;
  /** What the bundle's extractor stage records as its params. */
  readonly extractorParams: StageRun['config']['features'];
  /** Every split's embeddings (as a frozen extractor's features would be). */
  readonly splits: SplitFeatures;
  /** The network's classifier over the embedding. */
  readonly classifier: Head;
}

/** The network the `model.cnn` section describes, over the preprocessed images. */
export function cnnSpecOf(config: StageRun['config'], classes: number): CnnSpec {
  if (config.model.head !== 'cnn') throw new PipelineError('PIPELINE_UNSUPPORTED', `model.head is ${config.model.head}, not cnn`);
  const { height, width } = config.preprocess.resize;
  return { inputChannels: config.preprocess.color === 'rgb' ? 3 : 1, height, width, classes, blocks: config.model.cnn.blocks, bnMomentum: config.model.cnn.bnMomentum, bnEpsilon: 1e-5 };
}

/**
 * `model.head: cnn`: the network is trained on the preprocessed pixels of the train split (on the
 * run's Device: on the CPU one ONNX Runtime graph per step, on WebGPU the tape's kernels;
 * augmentation drawn per batch on the Device), watched on val, with a
 * checkpoint per epoch; then exported to ONNX, and its embedding of every split — computed by the
 * exported graph itself, as serving will — takes the place of a frozen extractor's features for
 * PCA, the case index and evaluation.
 */
export async function trainCnnStage(run: StageRun, { data, unlabelled }: TrainingData, classes: readonly string[], resumeFrom?: Uint8Array): Promise<CnnStageResult> {
  const { config, env, runId, progress } = run;
  const { device } = env;
  if (!env.onnxRuntime) throw new PipelineError('PIPELINE_UNSUPPORTED', 'model.head cnn trains through ONNX Runtime, and none was given to this run');
  if (config.model.head !== 'cnn') throw new PipelineError('PIPELINE_UNSUPPORTED', `model.head is ${config.model.head}, not cnn`);
  const spec = cnnSpecOf(config, classes.length);
  const item = [spec.inputChannels, spec.height, spec.width] as const;

  const pixels = new PixelsExtractor({}, device);
  const total = data.train.length + data.val.length + data.test.length + (config.train.fixmatch ? unlabelled.length : 0);
  let done = 0;
  const pixelsOf = async (samples: typeof data.train): Promise<FeatureMatrix> => {
    const matrix = await featureMatrix(samples, { device, preprocess: config.preprocess, extractor: pixels, onChunk: (chunk) => progress({ stage: 'features', done: done + chunk, total }), ...(env.signal ? { signal: env.signal } : {}) });
    done += samples.length;
    return matrix;
  };
  const images = { train: await pixelsOf(data.train), val: await pixelsOf(data.val), test: await pixelsOf(data.test) };
  if (config.train.fixmatch && resumeFrom) throw new PipelineError('PIPELINE_UNSUPPORTED', 'train.fixmatch runs cannot be resumed from a checkpoint: run them again');
  // train.pretrain, train.fixmatch: contrastive pre-training and FixMatch train through the tape on the run's Device.
  // A resumed run continues from its checkpoint, which already holds the pre-trained start.
  const initial = config.train.pretrain && !resumeFrom ? await pretrainCnnEmbedder(run, spec, images.train) : undefined;

  const watched = config.train.earlyStopping.metric;
  let epochLog: Promise<void> = Promise.resolve();
  // On the CPU the steps are ONNX Runtime graphs; on WebGPU the tape's kernels, with augmentation and optimizer there too.
  const trainer = new CnnTrainer(device, env.onnxRuntime, spec, config.train);
  const result = config.train.fixmatch
    ? { values: await trainCnnFixMatch(run, spec, images.train, await pixelsOf(unlabelled), initial) }
    : await trainer.fit(
      { images: images.train.features, labels: images.train.labels },
      {
        ...(images.val.rows > 0 ? { validation: { images: images.val.features, labels: images.val.labels } } : {}),
        ...(watched !== 'loss' && watched !== 'accuracy' ? { evaluate: (probabilities, labels) => scalarMetrics(evaluateClassifier(labels, probabilities, classes), [watched]) } : {}),
        ...(augmentationEnabled(config.augment) ? { augment: cnnBatchAugmentation(device, config.augment, config.train.seed, item) } : {}),
        ...(config.model.cnn.threads > 0 ? { threads: config.model.cnn.threads } : {}),
        onProgress: (p) => {
          if (p.kind === 'epoch') {
            const metrics = Object.fromEntries(Object.entries({ 'train.loss': p.loss, lr: p.lr, ...prefixed('val', p.metrics ?? {}) }).filter(([, v]) => Number.isFinite(v)));
            epochLog = epochLog.then(() => env.tracker.logMetrics(runId, metrics, p.epoch));
            epochLog.catch(() => {}); // awaited below
          }
          const eta = p.stepsThisRun > 0 ? (p.elapsedMs / p.stepsThisRun / 1000) * (p.totalSteps - p.step) : undefined;
          progress({ stage: 'train', done: p.step, total: p.totalSteps, ...(eta !== undefined ? { etaSeconds: eta } : {}), metrics: { epoch: p.epoch, loss: p.loss, ...(p.metrics ?? {}) } });
        },
        onCheckpoint: async (checkpoint, { epoch }) => {
          await env.tracker.logArtifact(runId, CHECKPOINT_ARTIFACT, checkpoint);
          if (config.train.checkpointEveryEpoch) await env.tracker.logArtifact(runId, CHECKPOINT_ARTIFACT.replace(/\.ckpt$/, `.epoch-${epoch}.ckpt`), checkpoint);
        },
        ...(resumeFrom ? { resumeFrom } : {}),
        ...(initial ? { initial } : {}),
        ...(env.signal ? { signal: env.signal } : {}),
      },
    );
  await epochLog;

  const extractorParams: StageRun['config']['features'] = { kind: 'onnx', onnx: { model: 'cnn.onnx', batchSize: EMBED_BATCH } };
  const extractor = await OnnxEmbedder.create({ model: exportCnnToOnnx(spec, result.values, { classifier: false }), batchSize: EMBED_BATCH, executionProviders: ['cpu'] }, { runtime: env.onnxRuntime, device });
  const dim = planCnn(spec).embeddingDim;
  const embed = (matrix: FeatureMatrix) => embedMatrix(device, extractor, matrix, item, dim);
  const splits: SplitFeatures = { train: await embed(images.train), val: await embed(images.val), test: await embed(images.test), unlabelled: null };
  return { extractor, extractorParams, splits, classifier: cnnClassifierHead(spec, result.values) };
}

/** A split's embeddings through the exported network, in chunks of rows. */
async function embedMatrix(device: Device, extractor: OnnxEmbedder, matrix: FeatureMatrix, item: readonly [number, number, number], dim: number, chunkRows = 4096): Promise<FeatureMatrix> {
  const size = item[0] * item[1] * item[2];
  const features = new Float32Array(matrix.rows * dim);
  for (let start = 0; start < matrix.rows; start += chunkRows) {
    const rows = Math.min(chunkRows, matrix.rows - start);
    const embedded = await extractor.transform(Tensor.cpu('f32', [rows, ...item], matrix.features.subarray(start * size, (start + rows) * size)));
    features.set((await device.read(embedded)) as Float32Array, start * dim);
    embedded.dispose();
  }
  return { ...matrix, features, dim };
}

/** The trained model of a CNN run: its classifier, moved after the PCA when there is one (classifier-over-pca.ts). */
export function cnnModel({ env }: StageRun, classifier: Head, pca: Pca | null): TrainedModel {
  const head = pca ? classifierOverPca(classifier, pca.state) : classifier;
  const products = headProducts(env.device, env.fastMatmul);
  return { kind: 'head', head, predict: (m) => predictProbabilities(env.device, head, m.features, { products }) };
}
