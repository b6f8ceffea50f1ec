import type { Device } from '../../compute/device.js';
import { Tensor } from '../../compute/tensor.js';
import { TrainError } from '../../errors.js';
import type { OnnxRuntime } from '../../onnx/session.js';
import { assertSameRun } from '../checkpoint-header.js';
import { classWeightsFor } from '../class-weights.js';
import { INITIAL_EARLY_STOPPING, observeEpoch, type EarlyStoppingState } from '../early-stopping.js';
import { Optimizer } from '../optimizer.js';
import { learningRateAt } from '../schedule.js';
import { deriveSeed, SEED_PURPOSE } from '../seeds.js';
import { resolveTrainOptions, type EpochRecord, type ResolvedTrainOptions, type RunOptions, type TrainOptions } from '../train-options.js';
import { shuffledRows } from '../trainer.js';
import { validationMetrics } from '../validation-metrics.js';
import { gatherBatch, inverseBatchWeight, type CnnImages } from './cnn-batches.js';
import { decodeCnnCheckpoint, encodeCnnCheckpoint, type CnnCheckpoint } from './cnn-checkpoint.js';
import { cnnLayout, initCnnValues, type CnnValues } from './cnn-parameters.js';
import type { CnnBatch } from './cnn-sessions.js';
import { planCnn, type CnnSpec } from './cnn-spec.js';
import { OrtCnnStepper, type CnnStepper } from './cnn-stepper.js';
import { TapeCnnStepper } from './cnn-webgpu-stepper.js';

/** `validation` is scored with eval-mode batch normalisation; checkpoints are read by `decodeCnnCheckpoint`. */
export interface CnnFitOptions extends RunOptions<CnnImages> {
  /** Start from these values (e.g. a contrastive pre-training's) instead of the seed's initialisation; a resume's win. */
  readonly initial?: CnnValues;
  /** Per-batch augmentation (e.g. `cnnBatchAugmentation`), given the batch and the optimizer step. */
  readonly augment?: (batch: CnnBatch, step: number) => Promise<CnnBatch>;
  /** ONNX Runtime intra-op threads on the CPU (default: ORT's own). */
  readonly threads?: number;
  /** Whether ONNX Runtime's CPU threads spin-wait between operators (default: no; see CnnSessionOptions). */
  readonly allowSpinning?: boolean;
}

export interface CnnTrainResult {
  /** Parameters and running statistics: the best epoch's when early stopping watched a validation set, else the last. */
  readonly values: Map<string, Float32Array>;
  readonly epochs: number;
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly history: readonly EpochRecord[];
}

const BUILT_IN_METRICS: readonly string[] = ['loss', 'accuracy'];

/**
 * Trains a CNN on its device. On the CPU, per step ONE ONNX Runtime run of the step graph (forward
 * with BN on batch statistics, weighted and label-smoothed cross-entropy, every gradient, the
 * updated running statistics); on WebGPU the same step through the tape's kernels, with the
 * parameters and the optimizer's state kept on the GPU (cnn-webgpu-stepper.ts). Then the heads'
 * optimizer (SGD/Adam/AdamW kernels, weight decay on the conv and classifier weights, clipping)
 * at the schedule's learning rate. Same initialisation from the seed, seeded shuffles, early
 * stopping on the validation split, a checkpoint per epoch and an exact resume on either device
 * — the heads' Trainer's contract with images in place of features.
 */
export class CnnTrainer {
  readonly device: Device;
  readonly runtime: OnnxRuntime;
  readonly spec: CnnSpec;
  readonly options: ResolvedTrainOptions;

  constructor(device: Device, runtime: OnnxRuntime, spec: CnnSpec, options: TrainOptions) {
    planCnn(spec);
    this.device = device;
    this.runtime = runtime;
    this.spec = spec;
    this.options = resolveTrainOptions(options);
  }

  async fit(train: CnnImages, fit: CnnFitOptions = {}): Promise<CnnTrainResult> {
    const { device, spec, options } = this;
    const size = spec.inputChannels * spec.height * spec.width;
    const rows = checkImages('train', train, size, spec.classes);
    if (fit.validation) checkImages('validation', fit.validation, size, spec.classes);
    const watching = options.earlyStopping.enabled && fit.validation !== undefined;
    if (watching && !fit.evaluate && !BUILT_IN_METRICS.includes(options.earlyStopping.metric)) {
      throw new TrainError('TRAIN_METRIC_UNAVAILABLE', `early stopping watches "${options.earlyStopping.metric}", but without an evaluate callback validation gives only: ${BUILT_IN_METRICS.join(', ')}`);
    }
    const resumed = fit.resumeFrom ? this.#resume(fit.resumeFrom) : null;
    const layout = cnnLayout(spec);
    const batchSize = Math.min(options.batchSize, rows);
    const batches = Math.ceil(rows / batchSize);
    const totalSteps = options.epochs * batches;
    const classWeights = classWeightsFor(options.classWeights, train.labels, spec.classes, train.weights);
    const decay = layout.parameters.map(({ shape }) => shape.length >= 2);
    const stepper: CnnStepper =
      device.backend === 'webgpu' ? new TapeCnnStepper(device, spec, options.labelSmoothing) : await OrtCnnStepper.create(device, this.runtime, spec, options.labelSmoothing, { ...(fit.threads ? { threads: fit.threads } : {}), ...(fit.allowSpinning === undefined ? {} : { allowSpinning: fit.allowSpinning }) });

    let parameters = stepper.load(resumed ? resumed.values : (fit.initial ?? initCnnValues(spec, options.seed)));
    const optimizer = resumed
      ? new Optimizer(device, options.optimizer, resumed.optimizerState.map((slots, i) => slots.map((data) => device.upload(Tensor.cpu('f32', parameters[i]!.shape, data.slice())))), resumed.optimizerSteps)
      : Optimizer.create(device, options.optimizer, parameters);
    let epoch = resumed?.epoch ?? 0;
    let stopping: EarlyStoppingState = resumed?.earlyStopping ?? INITIAL_EARLY_STOPPING;
    let best: Map<string, Float32Array> | null = resumed?.best ? new Map(resumed.best) : null;
    let stopped = resumed?.stopped ?? false;
    const history: EpochRecord[] = [...(resumed?.history ?? [])];
    const started = performance.now();
    let stepsThisRun = 0;
    const progressEvery = fit.progressEvery ?? 10;

    try {
      while (!stopped && epoch < options.epochs) {
        epoch++;
        const epochStart = performance.now();
        const order = shuffledRows(rows, deriveSeed(options.seed, SEED_PURPOSE.shuffle, epoch));
        let lossSum = 0;
        let lr = 0;
        for (let b = 0; b < batches; b++) {
          if (fit.signal?.aborted) throw fit.signal.reason ?? new Error('training aborted');
          const at = optimizer.steps;
          lr = learningRateAt(options.schedule, options.optimizer.lr, at, batches, options.epochs);
          const gathered = gatherBatch(train, size, order.subarray(b * batchSize, Math.min(rows, (b + 1) * batchSize)));
          const batch = fit.augment ? await fit.augment(gathered, at) : gathered;
          const { gradients, rowLosses } = await stepper.step(parameters, batch, classWeights, inverseBatchWeight(batch, classWeights));
          parameters = await optimizer.step(parameters, gradients, { lr, maxNorm: options.gradientClip, decay });
          for (const g of gradients) g.dispose();
          const batchLoss = rowLosses.reduce((a, v) => a + v, 0);
          lossSum += batchLoss;
          stepsThisRun++;
          if (fit.onProgress && progressEvery > 0 && ((b + 1) % progressEvery === 0 || b + 1 === batches)) {
            fit.onProgress({ kind: 'batch', epoch, epochs: options.epochs, batch: b + 1, batches, step: optimizer.steps, totalSteps, lr, loss: batchLoss, elapsedMs: performance.now() - started, stepsThisRun });
          }
        }
        let metrics: Record<string, number> = {};
        let improved = false;
        if (fit.validation) {
          const probabilities = softmaxRows(await stepper.logits(parameters, fit.validation.images), spec.classes);
          metrics = { ...validationMetrics(probabilities, fit.validation.labels, spec.classes), ...(fit.evaluate?.(probabilities, fit.validation.labels, spec.classes) ?? {}) };
        }
        if (watching) {
          const value = metrics[options.earlyStopping.metric];
          if (value === undefined) throw new TrainError('TRAIN_METRIC_UNAVAILABLE', `early stopping watches "${options.earlyStopping.metric}", but validation gives only: ${Object.keys(metrics).join(', ')}`);
          const observed = observeEpoch(options.earlyStopping, stopping, value, epoch);
          ({ state: stopping, improved, stop: stopped } = observed);
          if (improved) best = await stepper.values(parameters);
        }
        const record: EpochRecord = { epoch, trainLoss: lossSum / batches, lr, metrics, seconds: (performance.now() - epochStart) / 1000 };
        history.push(record);
        fit.onProgress?.({ kind: 'epoch', epoch, epochs: options.epochs, batch: batches, batches, step: optimizer.steps, totalSteps, lr, loss: record.trainLoss, metrics, elapsedMs: performance.now() - started, stepsThisRun });
        if (fit.onCheckpoint) {
          const optimizerState = await Promise.all(optimizer.state.map((slots) => Promise.all(slots.map(async (t) => (await device.read(t)) as Float32Array))));
          const checkpoint: CnnCheckpoint = { spec, options, epoch, stopped, optimizerSteps: optimizer.steps, earlyStopping: stopping, history, values: await stepper.values(parameters), optimizerState, best };
          await fit.onCheckpoint(encodeCnnCheckpoint(checkpoint), { epoch, improved });
        }
      }
      const useBest = watching && best !== null;
      return { values: useBest ? best! : await stepper.values(parameters), epochs: epoch, bestEpoch: useBest ? stopping.bestEpoch : epoch, stoppedEarly: stopped, history };
    } finally {
      optimizer.dispose();
      for (const p of parameters) p.dispose();
      await stepper.release();
    }
  }

  #resume(bytes: Uint8Array): CnnCheckpoint {
    const checkpoint = decodeCnnCheckpoint(bytes);
    assertSameRun(checkpoint, this.spec, this.options, 'network');
    return checkpoint;
  }
}

/** Row-wise softmax of logits [rows, classes]. */
export function softmaxRows(logits: Float32Array, classes: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let base = 0; base < logits.length; base += classes) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[base + c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += out[base + c] = Math.exp(logits[base + c]! - max);
    for (let c = 0; c < classes; c++) out[base + c]! /= sum;
  }
  return out;
}

function checkImages(what: string, data: CnnImages, size: number, classes: number): number {
  const bad = (message: string) => new TrainError('TRAIN_INVALID_DATA', `${what} images: ${message}`);
  if (!(data?.images instanceof Float32Array) || !(data.labels instanceof Int32Array)) throw bad('images must be a Float32Array and labels an Int32Array');
  const rows = data.labels.length;
  if (rows === 0) throw bad('there are none');
  if (data.images.length !== rows * size) throw bad(`hold ${data.images.length} values, but ${rows} labels × ${size} values per image = ${rows * size}`);
  const r = data.labels.findIndex((y) => y < -1 || y >= classes);
  if (r >= 0) throw bad(`label ${data.labels[r]} of row ${r} is outside [0, ${classes - 1}] (or −1 for unlabelled)`);
  if (data.weights !== undefined && (!(data.weights instanceof Float32Array) || data.weights.length !== rows)) throw bad(`weights must be a Float32Array of ${rows} values, one per row`);
  return rows;
}
