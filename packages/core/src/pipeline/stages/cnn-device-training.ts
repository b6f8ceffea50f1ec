import type { CnnValues } from '../../train/cnn/cnn-parameters.js';
import type { CnnSpec } from '../../train/cnn/cnn-spec.js';
import { pretrainContrastive } from '../../train/contrastive/contrastive-pretrain.js';
import { trainFixMatch } from '../../train/fixmatch/fixmatch-trainer.js';
import type { FeatureMatrix } from '../feature-matrix.js';
import type { StageRun } from './context.js';

/**
 * `train.pretrain`: the CNN's embedder is pre-trained contrastively on the train split's images
 * on the run's Device (through the tape: its CPU kernels or WebGPU), and the supervised training
 * starts from its values. The loss per epoch is logged as `pretrain.loss`.
 */
export async function pretrainCnnEmbedder(run: StageRun, spec: CnnSpec, train: FeatureMatrix): Promise<CnnValues> {
  const { config, env, runId, progress } = run;
  const pretrain = config.train.pretrain!;
  let logged: Promise<void> = Promise.resolve();
  const { values } = await pretrainContrastive(
    env.device,
    spec,
    { images: train.features, labels: train.labels },
    {
      method: pretrain.method,
      epochs: pretrain.epochs,
      batchSize: pretrain.batch,
      temperature: pretrain.temperature,
      projectionDim: pretrain.projectionDim,
      optimizer: { ...config.train.optimizer, lr: pretrain.lr },
      views: [pretrain.views, pretrain.views],
      seed: config.train.seed,
    },
    {
      onEpoch: (epoch, loss) => {
        logged = logged.then(() => env.tracker.logMetrics(runId, { 'pretrain.loss': loss }, epoch));
        logged.catch(() => {}); // awaited below
        progress({ stage: 'train', done: epoch, total: pretrain.epochs, metrics: { epoch, 'pretrain.loss': loss } });
      },
      ...(env.signal ? { signal: env.signal } : {}),
    },
  );
  await logged;
  return values;
}

/**
 * `train.fixmatch` with `data.unlabelled`: the CNN trains on the run's Device with FixMatch over
 * the train split and the unlabelled pool (train.epochs passes over the pool, train.batchSize
 * labelled images per step), from `initial` when a pre-training gave it. Per epoch it logs the
 * labelled and unlabelled losses and the share of unlabelled images above the threshold.
 */
export async function trainCnnFixMatch(run: StageRun, spec: CnnSpec, train: FeatureMatrix, pool: FeatureMatrix, initial?: CnnValues): Promise<CnnValues> {
  const { config, env, runId, progress } = run;
  const fixmatch = config.train.fixmatch!;
  let logged: Promise<void> = Promise.resolve();
  const { values } = await trainFixMatch(
    env.device,
    spec,
    { images: train.features, labels: train.labels },
    pool.features,
    { ...fixmatch, epochs: config.train.epochs, batchSize: config.train.batchSize, optimizer: config.train.optimizer, seed: config.train.seed, ...(initial ? { initial } : {}) },
    {
      onEpoch: ({ epoch, labelledLoss, unlabelledLoss, maskRate }) => {
        const metrics = { 'fixmatch.labelledLoss': labelledLoss, 'fixmatch.unlabelledLoss': unlabelledLoss, 'fixmatch.maskRate': maskRate };
        logged = logged.then(() => env.tracker.logMetrics(runId, metrics, epoch));
        logged.catch(() => {}); // awaited below
        progress({ stage: 'train', done: epoch, total: config.train.epochs, metrics: { epoch, ...metrics } });
      },
      ...(env.signal ? { signal: env.signal } : {}),
    },
  );
  await logged;
  return values;
}
