import { EvalError, openDataset, predictSamples, type DecodedInput, type Device, type LabeledSample, type OpenedDataset, type PipelineConfig, type Predictor } from '@cvf/core';
import { nodeFileAccess, sharpImageDecoder } from '@cvf/core/node';
import { dicomDatasetOpeners, dicomSampleInput, Tag, type DicomFile, type SubgroupAttribute } from '@cvf/medical';
import { dirname, resolve } from 'node:path';
import type { ProgressEvent } from '../progress.js';

/** The splits `cvf evaluate --split` takes: one of the config's, or all of its cases. */
export const EVALUATE_SPLITS = ['test', 'val', 'train', 'all'] as const;
export type EvaluateSplit = (typeof EVALUATE_SPLITS)[number];

/** The cases of a split with the model's outputs and decisions, in the order of the split. */
export interface EvaluatedCases {
  /** True class per case, as an index into the bundle's classes. */
  labels: Int32Array;
  /** N×C probabilities, in the bundle's class order. */
  probabilities: Float64Array;
  /** The class decided per case (the decision's class, referred or not). */
  predictions: Int32Array;
  /** 1 where the decision was to refer. */
  referred: Uint8Array;
  /** Per attribute (in the order asked for), its value per case. */
  values: (string | undefined)[][];
}

export interface PredictCasesOptions {
  config: PipelineConfig;
  configPath: string;
  split: EvaluateSplit;
  predictor: Predictor;
  device: Device;
  attributes: readonly SubgroupAttribute[];
  onProgress: (event: ProgressEvent) => void;
}

function casesOf(opened: OpenedDataset, split: EvaluateSplit): readonly LabeledSample[] {
  return split === 'all' ? [...opened.train, ...opened.val, ...opened.test] : opened[split];
}

/**
 * Opens the config's `data` section as training did (same sources, same seeded split), decodes
 * each case of `split` as serving does (DICOM windowed with the bundle's window), and predicts it.
 * The subgroup attributes are read from each DICOM file as it is decoded, so no file is parsed twice.
 */
export async function predictCases(options: PredictCasesOptions): Promise<EvaluatedCases> {
  const { config, predictor, device, attributes, split } = options;
  const { manifest } = predictor.bundle;
  const sourceKind = config.data.source.kind;
  if (attributes.length > 0 && sourceKind !== 'dicom-folder' && sourceKind !== 'dicomweb') {
    throw new EvalError('EVAL_OPTION_INVALID', `--by ${attributes[0]!.name} reads DICOM attributes, but the data source of ${options.configPath} is "${sourceKind}"; subgroups need a dicom-folder or dicomweb source`);
  }
  const window = manifest.preprocess.window;
  const attributeValues = new Map<string, (string | undefined)[]>();
  const toImage = async (file: DicomFile): Promise<DecodedInput> => {
    const sop = file.string(Tag.SOPInstanceUID);
    if (sop !== undefined && attributes.length > 0) attributeValues.set(sop, await Promise.all(attributes.map((attribute) => attribute.read(file))));
    return dicomSampleInput(file, { device, ...(window && { window }) });
  };
  const opened = await openDataset(config.data, {
    files: nodeFileAccess,
    decoder: sharpImageDecoder,
    baseDir: dirname(resolve(options.configPath)),
    openers: dicomDatasetOpeners({ env: process.env, device, toImage }),
  });
  const samples = casesOf(opened, split);
  if (samples.length === 0) throw new EvalError('EVAL_UNDEFINED', `the ${split} split of ${options.configPath} has no cases; choose another with --split (${EVALUATE_SPLITS.join(', ')})`);
  const classIndex = new Map(manifest.classes.map((label, c) => [label, c]));
  const numClasses = manifest.classes.length;
  const cases: EvaluatedCases = {
    labels: new Int32Array(samples.length),
    probabilities: new Float64Array(samples.length * numClasses),
    predictions: new Int32Array(samples.length),
    referred: new Uint8Array(samples.length),
    values: attributes.map(() => []),
  };
  options.onProgress({ stage: 'predict', done: 0, total: samples.length });
  await predictSamples(predictor, samples, (predictions, chunk, start) => {
    predictions.forEach((prediction, k) => {
      const sample = chunk[k]!;
      const i = start + k;
      const label = classIndex.get(sample.label);
      if (label === undefined) {
        throw new EvalError('EVAL_CLASS_UNKNOWN', `case "${sample.id}" is labelled "${sample.label}", which is not a class of the model (${manifest.classes.join(', ')})`);
      }
      cases.labels[i] = label;
      cases.probabilities.set(prediction.probabilities, i * numClasses);
      cases.predictions[i] = prediction.decision.classIndex;
      cases.referred[i] = prediction.decision.outcome === 'refer' ? 1 : 0;
      const values = attributeValues.get(sample.id);
      attributes.forEach((_, a) => cases.values[a]!.push(values?.[a]));
    });
    options.onProgress({ stage: 'predict', done: start + chunk.length, total: samples.length });
  });
  return cases;
}
