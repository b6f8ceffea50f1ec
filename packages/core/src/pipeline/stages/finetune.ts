import { resolvePath } from '../../data/paths.js';
import { PipelineError } from '../../errors.js';
import { PixelsExtractor } from '../../features/pixels/pixels-extractor.js';
import { finetuneNetwork, type FinetuneSettings } from '../../train/finetune/finetune-trainer.js';
import { exportImportedNetwork, importOnnxModel } from '../../train/import/onnx-import.js';
import { featureMatrix } from '../feature-matrix.js';
import type { StageRun } from './context.js';
import type { TrainingData } from './data.js';

/**
 * `features.finetune`: the ONNX backbone is read into the Device's layers and its last
 * `unfreeze` blocks trained with a head of `model.head`'s shape on the preprocessed pixels of the
 * train split (on the run's Device: WebGPU or the CPU; no augmentation), with train's optimizer, epochs,
 * batch size, label smoothing and seed — the blocks at `finetune.lr`, the head at
 * `train.optimizer.lr`. Returns the same ONNX graph with the trained values: the run then uses it
 * as its frozen extractor, so PCA, the case index and the bundle's head are fitted on the
 * fine-tuned embedding as for any backbone.
 */
export async function finetuneBackbone(run: StageRun, { data }: TrainingData, classes: number): Promise<Uint8Array> {
  const { config, env, runId, progress } = run;
  const { features, model, train } = config;
  if (features.kind !== 'onnx' || !features.finetune) throw new PipelineError('PIPELINE_UNSUPPORTED', 'finetuneBackbone needs features.kind onnx with a finetune block');
  if (model.head !== 'softmax' && model.head !== 'mlp') throw new PipelineError('PIPELINE_UNSUPPORTED', `features.finetune trains the backbone with the head: model.head must be softmax or mlp, not ${model.head}`);
  const bytes = await env.dataset.files.readFile(resolvePath(env.dataset.baseDir, features.onnx.model));
  const network = importOnnxModel(bytes, features.onnx.outputName ? { output: features.onnx.outputName } : {});

  const pixels = await featureMatrix(data.train, {
    device: env.device,
    preprocess: config.preprocess,
    extractor: new PixelsExtractor({}, env.device),
    onChunk: (done) => progress({ stage: 'features', done, total: data.train.length }),
    ...(env.signal ? { signal: env.signal } : {}),
  });
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
  };
  // On the run's Device: the tape's kernels on WebGPU, their CPU references on the CPU.
  const { device } = env;
  let logged: Promise<void> = Promise.resolve();
  await finetuneNetwork(device, network.graph, { images: pixels.features, labels: pixels.labels, item }, settings, (epoch, loss) => {
    logged = logged.then(() => env.tracker.logMetrics(runId, { 'finetune.loss': loss }, epoch));
    logged.catch(() => {}); // awaited below
    progress({ stage: 'train', done: epoch + 1, total: train.epochs, metrics: { epoch, loss } });
  });
  await logged;
  return exportImportedNetwork(network, device);
}
