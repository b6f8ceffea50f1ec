import { resolvePath } from '../../data/paths.js';
import { PipelineError } from '../../errors.js';
import { PixelsExtractor } from '../../features/pixels/pixels-extractor.js';
import { finetuneNetwork, type FinetuneSettings } from '../../train/finetune/finetune-trainer.js';
import { exportImportedNetwork, importOnnxModel } from '../../train/import/onnx-import.js';
import { evaluateClassifier, scalarMetrics } from '../../eval/evaluate-classifier.js';
import { augmentationEnabled } from '../augment-batch.js';
import { cnnBatchAugmentation } from '../cnn-augment.js';
import { featureMatrix } from '../feature-matrix.js';
import { prefixed } from '../head-training.js';
import type { StageRun } from './context.js';
import type { TrainingData } from './data.js';

/**
 * `features.finetune`: the ONNX backbone is read into the Device's layers and its last
 * `unfreeze` blocks trained with a head of `model.head`'s shape on the preprocessed pixels of the
 * train split, on the run's Device (WebGPU or the CPU), with train's optimizer, epochs, batch
 * size, label smoothing and seed — the blocks at `finetune.lr`, the head at `train.optimizer.lr`;
 * the `augment` section is drawn afresh for every batch on the Device (as for model.head cnn),
 * and `train.earlyStopping` watches the val split, keeping the best epoch's values. Returns the
 * same ONNX graph with the trained values: the run then uses it as its frozen extractor, so PCA,
 * the case index and the bundle's head are fitted on the fine-tuned embedding as for any backbone.
 */
export async function finetuneBackbone(run: StageRun, { data }: TrainingData, classNames: readonly string[]): Promise<Uint8Array> {
  const classes = classNames.length;
  const { config, env, runId, progress } = run;
  const { features, model, train } = config;
  if (features.kind !== 'onnx' || !features.finetune) throw new PipelineError('PIPELINE_UNSUPPORTED', 'finetuneBackbone needs features.kind onnx with a finetune block');
  if (model.head !== 'softmax' && model.head !== 'mlp') throw new PipelineError('PIPELINE_UNSUPPORTED', `features.finetune trains the backbone with the head: model.head must be softmax or mlp, not ${model.head}`);
  const bytes = await env.dataset.files.readFile(resolvePath(env.dataset.baseDir, features.onnx.model));
  const network = importOnnxModel(bytes, features.onnx.outputName ? { output: features.onnx.outputName } : {});

  const total = data.train.length + data.val.length;
  let done = 0;
  const pixelsOf = async (samples: typeof data.train) => {
    const matrix = await featureMatrix(samples, {
      device: env.device,
      preprocess: config.preprocess,
      extractor: new PixelsExtractor({}, env.device),
      onChunk: (chunk) => progress({ stage: 'features', done: done + chunk, total }),
      ...(env.signal ? { signal: env.signal } : {}),
    });
    done += samples.length;
    return matrix;
  };
  const pixels = await pixelsOf(data.train);
  const val = await pixelsOf(data.val);
  const { height, width } = config.preprocess.resize;
  const item = [config.preprocess.color === 'rgb' ? 3 : 1, height, width] as const;

  const settings: FinetuneSettings = {
    unfreeze: features.finetune.unfreeze,
    lr: features.finetune.lr,
    headLr: train.optimizer.lr,
    optimizer: train.optimizer.kind,
    weightDecay: train.optimizer.weightDecay,
    epochs: train.epochs,
    batchSize: train.batchSize,
    labelSmoothing: train.labelSmoothing,
    seed: train.seed,
    classes,
    head: model.head === 'mlp' ? { head: 'mlp', hidden: model.hidden, activation: model.activation, dropout: model.dropout } : { head: 'softmax' },
    earlyStopping: train.earlyStopping,
  };
  const watched = train.earlyStopping.metric;
  // On the run's Device: the tape's kernels on WebGPU, their CPU references on the CPU.
  const { device } = env;
  let logged: Promise<void> = Promise.resolve();
  const log = (metrics: Record<string, number>, step: number) => {
    logged = logged.then(() => env.tracker.logMetrics(runId, metrics, step));
    logged.catch(() => {}); // awaited below
  };
  const result = await finetuneNetwork(device, network.graph, { images: pixels.features, labels: pixels.labels, item }, settings, {
    ...(val.rows > 0 ? { validation: { images: val.features, labels: val.labels } } : {}),
    ...(watched !== 'loss' && watched !== 'accuracy' ? { evaluate: (probabilities, labels) => scalarMetrics(evaluateClassifier(labels, probabilities, classNames), [watched]) } : {}),
    ...(augmentationEnabled(config.augment) ? { augment: cnnBatchAugmentation(device, config.augment, train.seed, item) } : {}),
    onEpoch: (record) => {
      log({ 'finetune.loss': record.trainLoss, ...prefixed('finetune.val', record.metrics) }, record.epoch);
      progress({ stage: 'train', done: record.epoch, total: train.epochs, metrics: { epoch: record.epoch, loss: record.trainLoss, ...record.metrics } });
    },
  });
  // As the cnn trainer's: the epochs run, and the one whose values the backbone keeps.
  log({ 'finetune.epochs': result.epochs, 'finetune.best_epoch': result.bestEpoch, 'finetune.stopped_early': result.stoppedEarly ? 1 : 0 }, result.epochs);
  await logged;
  return exportImportedNetwork(network, device);
}
