import type { Bundle } from '../../bundle/bundle.js';
import type { PipelineConfig } from '../../config/schema.js';
import { openDataset } from '../../data/open-dataset.js';
import type { ModelVersion } from '../../tracking/types.js';
import { Predictor } from '../predictor.js';
import type { PipelineProgress } from '../training-environment.js';
import { scoreModel, type HeldOutSet, type ScoredModel } from './held-out.js';
import { heldOutProbabilities } from './held-out-predictions.js';
import type { RetrainEnvironment } from './retrain-environment.js';

/** Registered versions judged on one held-out set: each one's bundle and scores, in the order given. */
export interface HeldOutJudgement {
  readonly heldOut: HeldOutSet;
  readonly samples: number;
  readonly judged: readonly { readonly version: ModelVersion; readonly bundle: Bundle; readonly scores: ScoredModel }[];
}

/**
 * The config's test split predicted by each version through its own Predictor (its preprocessing,
 * extractor, PCA and calibrated head, as it serves), and scored the way training evaluates.
 */
export async function judgeOnHeldOut(config: PipelineConfig, env: RetrainEnvironment, versions: readonly ModelVersion[], progress: (p: PipelineProgress) => void): Promise<HeldOutJudgement> {
  const opened = await openDataset(config.data, env.dataset);
  const { test, classes } = opened;
  const heldOut: HeldOutSet = {
    labels: Int32Array.from(test, (s) => s.classIndex),
    classes,
    calibrationBins: config.evaluate.calibrationBins,
    ...(config.evaluate.positiveClass === undefined ? {} : { positiveClass: config.evaluate.positiveClass }),
  };
  const judged: HeldOutJudgement['judged'][number][] = [];
  for (const [i, version] of versions.entries()) {
    const bundle = await env.loadRegisteredBundle(version);
    const predictor = await Predictor.load(bundle, { device: env.device, ...(env.onnxRuntime ? { onnxRuntime: env.onnxRuntime } : {}) });
    try {
      const probabilities = await heldOutProbabilities(predictor, test, classes, (done) =>
        progress({ stage: 'compare', done: i * test.length + done, total: versions.length * test.length, message: `${version.name}@${version.version} on ${test.length} held-out images` }),
      );
      judged.push({ version, bundle, scores: scoreModel(heldOut, probabilities) });
    } finally {
      await predictor.release();
    }
  }
  return { heldOut, samples: test.length, judged };
}
