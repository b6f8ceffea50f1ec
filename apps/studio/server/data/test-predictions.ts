import { argmaxPredictions, parsePipelineConfig, predictWithThreshold, Predictor, disposeDecodedInput, type PipelineConfig } from '@cvf/core';
import { bundleSourceAt, createOrtNodeRuntime, type TrackingStore } from '@cvf/core/node';
import type { Evaluation } from '../../src/api/schemas.js';
import { StudioError } from '../errors.js';
import { configTextOfParams } from '../tracking/config-text.js';
import { runEvaluation } from '../tracking/run-views.js';
import { cpuDevice, type ConfigDataset, type DatasetCache } from './dataset-cache.js';

/** Test images predicted per batch. */
const BATCH = 64;

/** One test case of a run: its true and predicted class indices (in the evaluation's class order). */
export interface TestPrediction {
  readonly id: string;
  readonly actual: number;
  readonly predicted: number;
}

export interface RunTestSet {
  readonly classes: readonly string[];
  readonly data: ConfigDataset;
  readonly predictions: readonly TestPrediction[];
}

/**
 * A finished run's test split predicted again with its bundle: the run's resolved config (from
 * its params) reopens the same seeded split, the bundle predicts each image, and the decision
 * rule is the evaluation's (argmax, or the positive class's threshold). The stored evaluation has
 * the confusion counts only; this gives the cases behind each cell. Kept per run (runs are immutable once ended).
 */
export class RunTestSets {
  readonly #store: TrackingStore;
  readonly #datasets: DatasetCache;
  /** The folder relative data paths of a run's config start from. */
  readonly #baseDirOf: (runId: string, runName: string | null) => Promise<string>;
  readonly #sets = new Map<string, Promise<RunTestSet>>();

  constructor(store: TrackingStore, datasets: DatasetCache, baseDirOf: (runId: string, runName: string | null) => Promise<string>) {
    this.#store = store;
    this.#datasets = datasets;
    this.#baseDirOf = baseDirOf;
  }

  of(runId: string): Promise<RunTestSet> {
    let set = this.#sets.get(runId);
    if (!set) {
      set = this.#predict(runId);
      set.catch(() => this.#sets.delete(runId));
      this.#sets.set(runId, set);
    }
    return set;
  }

  /** The run's dataset (for thumbnails of its cases), without predicting. */
  async dataset(runId: string): Promise<ConfigDataset> {
    return this.#datasets.ofRun(runId, () => this.#config(runId));
  }

  async #config(runId: string): Promise<{ config: PipelineConfig; baseDir: string }> {
    const run = await this.#store.getRun(runId);
    const text = configTextOfParams(run.params);
    if (!text) throw new StudioError('NOT_FOUND', `run ${runId} has no params to rebuild its config from`);
    return { config: parsePipelineConfig(text, `run ${runId}`), baseDir: await this.#baseDirOf(runId, run.name) };
  }

  async #predict(runId: string): Promise<RunTestSet> {
    const run = await this.#store.getRun(runId);
    if (run.status !== 'finished') throw new StudioError('REQUEST_INVALID', `run ${runId} is ${run.status}; its test cases are predicted once it finished`);
    const evaluation: Evaluation | null = await runEvaluation(this.#store, run);
    const location = run.tags.bundle;
    if (!evaluation || !location) throw new StudioError('NOT_FOUND', `run ${runId} stored no evaluation or bundle; there are no test cases to show`);
    const data = await this.dataset(runId);
    const { classes, positiveClass, threshold } = evaluation.test;
    const predictor = await Predictor.load(await bundleSourceAt(location), { device: cpuDevice, onnxRuntime: await createOrtNodeRuntime() });
    const positive = positiveClass === null ? -1 : classes.indexOf(positiveClass);
    const predictions: TestPrediction[] = [];
    const test = data.dataset.test;
    for (let start = 0; start < test.length; start += BATCH) {
      const chunk = test.slice(start, start + BATCH);
      const images = await Promise.all(chunk.map((sample) => sample.load()));
      let probabilities: Float32Array;
      try {
        const predicted = await predictor.predict(images, { similar: 0 });
        probabilities = Float32Array.from(predicted.flatMap((p) => p.probabilities));
      } finally {
        for (const image of images) disposeDecodedInput(image);
      }
      const decided = threshold !== null && positive >= 0 ? predictWithThreshold(probabilities, classes.length, positive, threshold) : argmaxPredictions(probabilities, classes.length);
      chunk.forEach((sample, i) => predictions.push({ id: sample.id, actual: classes.indexOf(sample.label), predicted: decided[i]! }));
    }
    return { classes, data, predictions };
  }
}
