import { CvfError, decodeInput, disposeDecodedInput, DriftError, FileError, type DecodedInput, type DecodeInputOptions, type InputImageStatistics, type Predictor } from '@cvf/core';
import { readRegularFile } from '@cvf/core/node';
import { readInferenceLog } from '@cvf/edge-runtime';
import { readdir, stat } from 'node:fs/promises';
import { expandPredictInputs } from './predict-inputs.js';

/** The live data a drift test compares with the bundle's reference: one row per image or logged prediction. */
export interface LiveWindow {
  readonly source: 'images' | 'inference-log';
  readonly rows: number;
  readonly dim: number;
  /** rows × dim: the features after PCA, as the head saw them. */
  readonly features: Float32Array;
  /** rows × classes, where the model has a head. */
  readonly probabilities: Float32Array | null;
  readonly classes: number;
  /** The images' statistics before the extractor, for the rows that have them. */
  readonly inputStatistics: readonly InputImageStatistics[];
}

/** An inference log folder holds segment files `inference-<start>-<pid>-<seq>.jsonl`. */
const SEGMENT = /^inference-\d{13}-\d+-\d{6}\.jsonl$/;

export async function isInferenceLogFolder(path: string): Promise<boolean> {
  const folder = await stat(path).then((s) => s.isDirectory(), () => false);
  return folder && (await readdir(path)).some((name) => SEGMENT.test(name));
}

/**
 * The last `window` predictions of this model version in an inference log folder (all when
 * `window` is undefined). Records of other models or versions are left out: another version's
 * features live in another PCA space than this bundle's reference.
 */
export async function windowFromInferenceLog(dir: string, model: { name: string; version: string; dim: number; classes: number }, window: number | undefined): Promise<LiveWindow> {
  const all = await readInferenceLog(dir);
  const mine = all.filter((r) => r.model === model.name && r.version === model.version);
  if (mine.length === 0) {
    const seen = [...new Set(all.map((r) => `${r.model}@${r.version}`))];
    throw new DriftError('DRIFT_INVALID_DATA', `the inference log ${dir} has no predictions of ${model.name} version ${model.version}; it holds ${seen.length ? seen.join(', ') : 'no predictions'} (a registered version is logged by its number: give the model as NAME@VERSION or NAME@ALIAS)`);
  }
  const records = window === undefined ? mine : mine.slice(-window);
  const misfit = records.find((r) => r.features.length !== model.dim || r.probabilities.length !== model.classes);
  if (misfit) {
    throw new DriftError('DRIFT_REFERENCE_MISMATCH', `a logged prediction (${misfit.time}) has ${misfit.features.length} features and ${misfit.probabilities.length} probabilities; the bundle has ${model.dim} and ${model.classes}`);
  }
  const features = new Float32Array(records.length * model.dim);
  const probabilities = new Float32Array(records.length * model.classes);
  records.forEach((r, i) => {
    features.set(r.features, i * model.dim);
    probabilities.set(r.probabilities, i * model.classes);
  });
  return { source: 'inference-log', rows: records.length, dim: model.dim, features, probabilities, classes: model.classes, inputStatistics: records.flatMap((r) => (r.input ? [r.input] : [])) };
}

/** Images decoded and predicted together, so a large folder never sits on the device at once. */
const CHUNK = 32;

/**
 * The features of the images under `path` (sorted by path; the last `window` of them), through the
 * same Predictor that serves the model: `predict(images, { features: true, inputStatistics: true })`.
 * A file that does not decode stops the test, naming the file: a window with holes is not the data.
 */
export async function windowFromImages(path: string, predictor: Predictor, decode: DecodeInputOptions, options: { recursive: boolean; window: number | undefined }): Promise<LiveWindow> {
  const inputs = await expandPredictInputs([path], { recursive: options.recursive });
  const failed = inputs.find((i) => 'error' in i);
  if (failed && 'error' in failed) throw failed.error;
  const files = (options.window === undefined ? inputs : inputs.slice(-options.window)).map((i) => i.file);
  const features: number[][] = [];
  const probabilities: number[][] = [];
  const inputStatistics: InputImageStatistics[] = [];
  for (let start = 0; start < files.length; start += CHUNK) {
    const images: DecodedInput[] = [];
    try {
      for (const file of files.slice(start, start + CHUNK)) images.push(await decodeFile(file, decode));
      for (const p of await predictor.predict(images, { similar: 0, features: true, inputStatistics: true })) {
        features.push(p.features!);
        probabilities.push(p.probabilities);
        if (p.inputStatistics) inputStatistics.push(p.inputStatistics);
      }
    } finally {
      images.forEach(disposeDecodedInput);
    }
  }
  const dim = features[0]?.length ?? 0;
  const classes = probabilities[0]?.length ?? 0;
  return {
    source: 'images',
    rows: files.length,
    dim,
    features: Float32Array.from(features.flat()),
    probabilities: classes > 0 ? Float32Array.from(probabilities.flat()) : null,
    classes,
    inputStatistics,
  };
}

async function decodeFile(path: string, options: DecodeInputOptions): Promise<DecodedInput> {
  const bytes = await readRegularFile(path, { what: 'image' });
  try {
    return await decodeInput(bytes, undefined, options);
  } catch (error) {
    if (error instanceof CvfError) throw new CvfError(error.code, `${path}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** A `--data` path that is neither an inference log nor a folder or file of images. */
export function dataNotFound(path: string): FileError {
  return new FileError(`--data ${path} does not exist; give a folder of images or DICOM files, or an inference log folder`);
}
