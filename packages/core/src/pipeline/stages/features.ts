import type { LabeledSample } from '../../data/dataset.js';
import type { FeatureExtractor } from '../../features/feature-extractor.js';
import { disposeDecodedInput } from '../../image/decoded-input.js';
import { preprocessImages } from '../../image/preprocess-image.js';
import { buildExtractor } from '../build-extractor.js';
import { featureMatrix, type FeatureMatrix } from '../feature-matrix.js';
import { trainAugmentation } from './augment.js';
import { finetuneBackbone } from './finetune.js';
import type { StageRun } from './context.js';
import type { TrainingData } from './data.js';

/** Features of every split, row-major; the train split with its augmented copies. */
export interface SplitFeatures {
  readonly train: FeatureMatrix;
  readonly val: FeatureMatrix;
  readonly test: FeatureMatrix;
  /** The unlabelled pool (labels meaningless); null without `data.unlabelled`. */
  readonly unlabelled: FeatureMatrix | null;
}

/** Preprocessing and the feature extractor over every split, batched on the Device, with one progress bar. */
export async function extractFeatures(run: StageRun, training: TrainingData): Promise<{ extractor: FeatureExtractor; splits: SplitFeatures }> {
  const { data, unlabelled } = training;
  const { config, env, progress } = run;
  const { device, dataset } = env;
  // A fine-tuned backbone is trained first; the run then extracts with it as with any frozen one.
  const model = config.features.kind === 'onnx' && config.features.finetune ? await finetuneBackbone(run, training, training.classes) : undefined;
  const extractor = await buildExtractor(config.features, { device, files: dataset.files, baseDir: dataset.baseDir, ...(env.onnxRuntime ? { onnxRuntime: env.onnxRuntime } : {}), ...(model && { model }) });
  if (extractor.learnsFromData) await fitOnTraining(run, extractor, data.train);
  const total = data.train.length + data.val.length + data.test.length + unlabelled.length;
  let done = 0;
  const augment = trainAugmentation(config);
  const featurize = async (samples: readonly LabeledSample[], withAugmentation: boolean): Promise<FeatureMatrix> => {
    const matrix = await featureMatrix(samples, {
      device,
      preprocess: config.preprocess,
      extractor,
      ...(withAugmentation && augment ? { augment } : {}),
      onChunk: (chunkDone) => progress({ stage: 'features', done: done + chunkDone, total }),
      ...(env.signal ? { signal: env.signal } : {}),
    });
    done += samples.length;
    return matrix;
  };
  const splits: SplitFeatures = {
    train: await featurize(data.train, true),
    val: await featurize(data.val, false),
    test: await featurize(data.test, false),
    unlabelled: unlabelled.length > 0 ? await featurize(unlabelled, false) : null,
  };
  return { extractor, splits };
}

/** Training images a learning extractor fits on at most: evenly spaced, so a codebook stays cheap on large sets. */
const FIT_IMAGES = 2000;

/** Fits an extractor that learns (an ORB codebook) on the preprocessed training images, without augmentation. */
async function fitOnTraining({ config, env }: StageRun, extractor: FeatureExtractor, train: readonly LabeledSample[]): Promise<void> {
  const step = Math.max(1, train.length / FIT_IMAGES);
  const chosen = Array.from({ length: Math.min(train.length, FIT_IMAGES) }, (_, i) => train[Math.floor(i * step)]!);
  const images = await Promise.all(chosen.map((sample) => sample.load()));
  let batch;
  try {
    batch = await preprocessImages(env.device, images, config.preprocess);
  } finally {
    images.forEach(disposeDecodedInput);
  }
  try {
    await extractor.fit(batch);
  } finally {
    batch.dispose();
  }
}
