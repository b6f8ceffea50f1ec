import type { DataSource, UnlabelledSource } from '../config/sections/data.js';
import type { PipelineConfig } from '../config/schema.js';
import { DatasetError } from '../errors.js';
import type { Dataset, DatasetContext, LabeledSample, OpenedDataset, Sample } from './dataset.js';
import { openFolderDataset } from './folder-dataset.js';
import { openIdxDataset } from './idx-dataset.js';
import type { UnlabelledSourceOpener } from './open-unlabelled.js';
import { openCsvDataset, openJsonlDataset } from './manifest-dataset.js';
import { seededSubset, splitSamples } from './split-samples.js';

/** The pipeline config's `data` section, defaults filled in. */
export type DataConfig = PipelineConfig['data'];

/** Reads one source of the `data` section into a Dataset. */
export type DatasetSourceOpener = (source: DataSource, context: DatasetContext) => Promise<Dataset>;

export interface OpenDatasetOptions extends DatasetContext {
  /**
   * Readers for the source kinds core does not read itself: `dicom-folder` and `dicomweb` come
   * from @cvf/medical (its dataset openers), so core does not depend on DICOM.
   */
  readonly openers?: Partial<Record<DataSource['kind'], DatasetSourceOpener>>;
  /** The same for `data.unlabelled` (see open-unlabelled.ts). */
  readonly unlabelledOpeners?: Partial<Record<UnlabelledSource['kind'], UnlabelledSourceOpener>>;
}

const BUILT_IN: Partial<Record<DataSource['kind'], DatasetSourceOpener>> = {
  idx: (source, context) => openIdxDataset(source as Extract<DataSource, { kind: 'idx' }>, context),
  folder: (source, context) => openFolderDataset(source as Extract<DataSource, { kind: 'folder' }>, context),
  csv: (source, context) => openCsvDataset(source as Extract<DataSource, { kind: 'csv' }>, context),
  jsonl: (source, context) => openJsonlDataset(source as Extract<DataSource, { kind: 'jsonl' }>, context),
};

async function openSource(source: DataSource, options: OpenDatasetOptions): Promise<Dataset> {
  const opener = options.openers?.[source.kind] ?? BUILT_IN[source.kind];
  if (!opener) {
    const known = [...new Set([...Object.keys(BUILT_IN), ...Object.keys(options.openers ?? {})])];
    throw new DatasetError(
      'DATASET_SOURCE_UNSUPPORTED',
      `no reader for data source kind "${source.kind}" here (readers: ${known.join(', ')}); DICOM sources need the openers of @cvf/medical`,
    );
  }
  return opener(source, options);
}

/** Integer labels sort as numbers (2 before 10), others as text. */
function sortLabels(labels: Iterable<string>): string[] {
  const distinct = [...new Set(labels)];
  const numeric = distinct.every((l) => /^-?\d+$/.test(l));
  return numeric ? distinct.sort((a, b) => Number(a) - Number(b)) : distinct.sort();
}

/** IDX labels are class indices: with `data.classes` they become class names. */
function nameIdxLabels(dataset: Dataset, source: DataSource, classes: readonly string[] | undefined): readonly Sample[] {
  if (source.kind !== 'idx' || classes === undefined) return dataset.samples;
  return dataset.samples.map((sample) => {
    const name = classes[Number(sample.label)];
    if (name === undefined) {
      throw new DatasetError('DATASET_LABEL_UNKNOWN', `${dataset.description}: label ${sample.label} of "${sample.id}" has no name in data.classes (${classes.length} classes: indices 0..${classes.length - 1})`);
    }
    return withLabel(sample, name);
  });
}

function withLabel(sample: Sample, label: string): Sample {
  const { id, patientId, studyUID, split } = sample;
  return { id, label, ...(patientId !== undefined && { patientId }), ...(studyUID !== undefined && { studyUID }), ...(split !== undefined && { split }), load: () => sample.load() };
}

function labeled(samples: readonly Sample[], classes: readonly string[], description: string): LabeledSample[] {
  const index = new Map(classes.map((name, i) => [name, i]));
  return samples.map((sample) => {
    const classIndex = index.get(sample.label);
    if (classIndex === undefined) {
      throw new DatasetError('DATASET_LABEL_UNKNOWN', `${description}: label "${sample.label}" of "${sample.id}" is not one of data.classes (${classes.join(', ')})`);
    }
    return Object.assign(withLabel(sample, sample.label), { classIndex });
  });
}

/**
 * Opens the `data` section of a pipeline config: reads `source` (and `test` when given), takes at
 * most `limit` samples (a seeded random subset), names the classes, and splits by `splits` —
 * stratified, reproducible for the seed, never putting one patient (or study) in two splits
 * with `groupBy`. Relative paths are resolved against `baseDir`, the config file's folder.
 * Sources: idx, folder, csv, jsonl here; others through `openers`.
 */
export async function openDataset(data: DataConfig, options: OpenDatasetOptions): Promise<OpenedDataset> {
  const source = await openSource(data.source, options);
  const test = data.test === undefined ? undefined : await openSource(data.test, options);
  const all = nameIdxLabels(source, data.source, data.classes);
  const testSamples = test && data.test ? nameIdxLabels(test, data.test, data.classes) : [];
  if (all.length === 0) throw new DatasetError('DATASET_EMPTY', `${source.description}: no samples`);
  const samples = seededSubset(all, data.limit, data.splits.seed);
  const classes = data.classes ?? sortLabels([...samples, ...testSamples].map((s) => s.label));
  const splits = splitSamples(labeled(samples, classes, source.description), data.splits);
  return {
    classes,
    train: splits.train,
    val: splits.val,
    test: test ? [...splits.test, ...labeled(testSamples, classes, test.description)] : splits.test,
  };
}

/**
 * Labelled sources added to the train split only (`cvf retrain --data-add`): each read as
 * `data.source` would be, labelled in the opened dataset's `classes` (an unknown label is
 * DATASET_LABEL_UNKNOWN), every id prefixed with its source's position so none collides with the
 * config's own ids. The val and test splits stay the config's, so models trained with and without
 * the additions are judged on the same held-out set.
 */
export async function openAddedTrainingSamples(sources: readonly DataSource[], classes: readonly string[], options: OpenDatasetOptions): Promise<LabeledSample[]> {
  const added: LabeledSample[] = [];
  for (const [i, source] of sources.entries()) {
    const dataset = await openSource(source, options);
    if (dataset.samples.length === 0) throw new DatasetError('DATASET_EMPTY', `${dataset.description}: no samples`);
    for (const sample of labeled(nameIdxLabels(dataset, source, classes), classes, dataset.description)) {
      added.push(Object.assign(sample, { id: `added-${i + 1}/${sample.id}` }));
    }
  }
  return added;
}
