import type { KnnSettings } from '../../bundle/kinds/knn-head.js';
import type { VectorIndex } from '../../index/types.js';
import { knnVoteOfHits } from '../../train/knn.js';
import type { Head } from '../../train/head.js';
import { predictProbabilities } from '../../train/predict.js';
import { headProducts } from '../../train/products.js';
import type { FeatureMatrix } from '../feature-matrix.js';
import { trainHeadRound } from '../head-training.js';
import { selfTrain } from '../self-training.js';
import type { StageRun } from './context.js';
import type { SplitFeatures } from './features.js';
import type { OriginalRows } from './index.js';

/** The trained head, or the kNN vote over the case index; `predict` gives class probabilities of a split's rows (before temperature scaling). */
export type TrainedModel =
  | { readonly kind: 'head'; readonly head: Head; predict(matrix: FeatureMatrix): Promise<Float32Array> }
  | { readonly kind: 'knn'; readonly knn: KnnSettings; predict(matrix: FeatureMatrix): Promise<Float32Array> };

export interface HeadStageInput {
  readonly splits: SplitFeatures;
  readonly classes: readonly string[];
  readonly index: VectorIndex;
  readonly originals: OriginalRows;
  /** Checkpoints of the run being resumed, one per head-training round. */
  readonly resumeFrom?: readonly (Uint8Array | undefined)[];
}

/** The final head's checkpoints go to CHECKPOINT_ARTIFACT; earlier self-training rounds' to their own. */
export const CHECKPOINT_ARTIFACT = 'checkpoints/last.ckpt';

export function checkpointArtifact(round: number, rounds: number): string {
  return round === rounds ? CHECKPOINT_ARTIFACT : `checkpoints/round-${round}.ckpt`;
}

/** Pseudo-labelling rounds after the first head: train.pseudoLabel.rounds when data.unlabelled is given, else 0. */
export function pseudoLabelRounds(run: Pick<StageRun, 'config'>): number {
  return run.config.data.unlabelled ? run.config.train.pseudoLabel.rounds : 0;
}

/**
 * The `model` section: the kNN vote over the case index, or a trained head — with
 * `data.unlabelled`, retrained over rounds of pseudo-labels (self-training).
 */
export async function trainModel(run: StageRun, input: HeadStageInput): Promise<TrainedModel> {
  const { config, env, runId, progress } = run;
  const { splits, classes } = input;
  if (config.model.head === 'knn') {
    const { k, weighting } = config.model.knn;
    const trainLabels = new Map(Array.from(input.originals.sampleIndex, (sample, row) => [sample, input.originals.labels[row]!]));
    return { kind: 'knn', knn: { k, weighting }, predict: async (m) => knnVoteOfHits(input.index.searchBatch(m.features, { k }), (id) => trainLabels.get(id) ?? -1, classes.length, { k, weighting, metric: config.index.metric }) };
  }
  const products = headProducts(env.device, env.fastMatmul);
  const probabilities = (head: Head, m: FeatureMatrix) => predictProbabilities(env.device, head, m.features, { products });
  const rounds = pseudoLabelRounds(run);
  let epochs = 0;
  const trained = await selfTrain(splits.train, splits.unlabelled, classes.length, { ...config.train.pseudoLabel, rounds }, {
    trainRound: async (rows, round) => {
      const resumeFrom = input.resumeFrom?.[round];
      const result = await trainHeadRound(config, env, { runId, train: rows, val: splits.val, classes, checkpointArtifact: checkpointArtifact(round, rounds), ...(resumeFrom ? { resumeFrom } : {}), stepOffset: epochs });
      epochs += result.epochs;
      return result.head;
    },
    probabilities,
    onRound: async ({ round, labelled, perClass }) => {
      await env.tracker.logMetrics(runId, { 'pseudo.labelled': labelled, ...Object.fromEntries(perClass.map((n, c) => [`pseudo.labelled.${classes[c]}`, n])) }, round);
      progress({ stage: 'pseudo-label', done: round, total: rounds, message: `round ${round}: ${labelled} of ${splits.unlabelled!.rows} unlabelled images labelled` });
    },
  });
  return { kind: 'head', head: trained.head, predict: (m) => probabilities(trained.head, m) };
}
