import type { PipelineConfig } from '../config/schema.js';
import { evaluateClassifier, scalarMetrics } from '../eval/evaluate-classifier.js';
import type { Head, HeadSpec } from '../train/head.js';
import { trainHead } from '../train/trainer.js';
import type { FeatureMatrix } from './feature-matrix.js';
import type { TrainingEnvironment } from './training-environment.js';

export interface HeadTrainingRound {
  readonly runId: string;
  readonly train: FeatureMatrix;
  readonly val: FeatureMatrix;
  readonly classes: readonly string[];
  /** The run artifact each epoch's checkpoint is written to. */
  readonly checkpointArtifact: string;
  /** A checkpoint of this round from the run being resumed. */
  readonly resumeFrom?: Uint8Array;
  /** Added to epoch numbers in the tracked metrics, so later rounds continue the curves. */
  readonly stepOffset: number;
}

/** The head the `model` section describes, over features of `inputDim` values. */
export function headSpecOf(config: PipelineConfig, inputDim: number, classes: number): HeadSpec {
  return config.model.head === 'mlp'
    ? { head: 'mlp', inputDim, classes, hidden: config.model.hidden, activation: config.model.activation, dropout: config.model.dropout }
    : { head: 'softmax', inputDim, classes };
}

/**
 * Trains the head of a run on feature matrices: epoch metrics go to the tracker, progress (with
 * an ETA) to the environment, a checkpoint per epoch to the run's artifacts. Returns the head
 * (the best epoch's when early stopping watches the validation split) and the epochs it ran.
 */
export async function trainHeadRound(config: PipelineConfig, env: TrainingEnvironment, round: HeadTrainingRound): Promise<{ head: Head; epochs: number }> {
  const { runId, train, val, classes } = round;
  const progress = env.onProgress ?? (() => {});
  const watched = config.train.earlyStopping.metric;
  let epochLog: Promise<void> = Promise.resolve();
  const result = await trainHead(env.device, headSpecOf(config, train.dim, classes.length), config.train, { features: train.features, labels: train.labels, ...(train.weights ? { weights: train.weights } : {}) }, {
    ...(val.rows > 0 ? { validation: { features: val.features, labels: val.labels } } : {}),
    ...(watched !== 'loss' && watched !== 'accuracy' ? { evaluate: (probabilities, labels) => scalarMetrics(evaluateClassifier(labels, probabilities, classes), [watched]) } : {}),
    onProgress: (p) => {
      // Logged in order, and awaited after training so a failed write fails the run.
      if (p.kind === 'epoch') {
        epochLog = epochLog.then(() => env.tracker.logMetrics(runId, finite({ 'train.loss': p.loss, lr: p.lr, ...prefixed('val', p.metrics ?? {}) }), round.stepOffset + p.epoch));
        epochLog.catch(() => {}); // handled by the await below, or moot when training itself fails
      }
      const eta = p.stepsThisRun > 0 ? (p.elapsedMs / p.stepsThisRun / 1000) * (p.totalSteps - p.step) : undefined;
      progress({ stage: 'train', done: p.step, total: p.totalSteps, ...(eta !== undefined ? { etaSeconds: eta } : {}), metrics: { epoch: p.epoch, loss: p.loss, ...(p.metrics ?? {}) } });
    },
    onCheckpoint: async (checkpoint, { epoch }) => {
      await env.tracker.logArtifact(runId, round.checkpointArtifact, checkpoint);
      // Kept beside the rolling one: e.g. checkpoints/last.epoch-3.ckpt.
      if (config.train.checkpointEveryEpoch) await env.tracker.logArtifact(runId, round.checkpointArtifact.replace(/\.ckpt$/, `.epoch-${epoch}.ckpt`), checkpoint);
    },
    ...(round.resumeFrom ? { resumeFrom: round.resumeFrom } : {}),
    ...(env.signal ? { signal: env.signal } : {}),
    ...(env.fastMatmul ? { fastMatmul: env.fastMatmul } : {}),
    ...(env.onnxRuntime ? { onnxRuntime: env.onnxRuntime } : {}),
  });
  await epochLog;
  return { head: result.head, epochs: result.epochs };
}

export function prefixed(prefix: string, metrics: Readonly<Record<string, number>>): Record<string, number> {
  return finite(Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`${prefix}.${k}`, v])));
}

/** Tracking stores finite numbers only: a NaN metric (an empty class, a diverged loss) is left out. */
function finite(metrics: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v)));
}
