import type { LabeledSample, OpenedDataset } from '../../data/dataset.js';
import type { DataSource } from '../../config/sections/data.js';
import { openAddedTrainingSamples, openDataset } from '../../data/open-dataset.js';
import { openUnlabelled } from '../../data/open-unlabelled.js';
import { PipelineError } from '../../errors.js';
import type { StageRun } from './context.js';

export interface TrainingData {
  readonly data: OpenedDataset;
  readonly classes: string[];
  /** `data.unlabelled`, for pseudo-labelling; empty without it. */
  readonly unlabelled: readonly LabeledSample[];
}

/**
 * The `data` section: the labelled splits (seeded, patient-level where ids exist) and the unlabelled
 * pool; `addedTrainData` (cvf retrain --data-add) joins the train split only.
 */
export async function openTrainingData({ config, env, progress }: StageRun, addedTrainData: readonly DataSource[] = []): Promise<TrainingData> {
  progress({ stage: 'data', done: 0, total: 1, message: 'opening the dataset' });
  const opened = await openDataset(config.data, env.dataset);
  const added = addedTrainData.length > 0 ? await openAddedTrainingSamples(addedTrainData, opened.classes, env.dataset) : [];
  const data = added.length > 0 ? { ...opened, train: [...opened.train, ...added] } : opened;
  const classes = [...data.classes];
  progress({ stage: 'data', done: 1, total: 1, message: `${data.train.length} train${added.length > 0 ? ` (${added.length} added)` : ''}, ${data.val.length} val, ${data.test.length} test in ${classes.length} classes` });
  if (data.train.length === 0 || data.test.length === 0) throw new PipelineError('PIPELINE_FAILED', `the data section gives ${data.train.length} train and ${data.test.length} test samples; both must be non-empty`);
  const { dataset } = env;
  const unlabelled = config.data.unlabelled
    ? await openUnlabelled(config.data.unlabelled, { files: dataset.files, decoder: dataset.decoder, baseDir: dataset.baseDir, ...(dataset.unlabelledOpeners ? { openers: dataset.unlabelledOpeners } : {}), seed: config.data.splits.seed })
    : [];
  return { data, classes, unlabelled };
}
