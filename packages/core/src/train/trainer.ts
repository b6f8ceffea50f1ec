import type { Device } from '../compute/device.js';
import type { FastMatmul } from '../compute/fast-matmul/fast-matmul.js';
import type { OnnxRuntime } from '../onnx/session.js';
import { add } from '../compute/kernels/add/add.js';
import { reduce } from '../compute/kernels/reduce/reduce.js';
import { Rng } from '../compute/random.js';
import { Tensor } from '../compute/tensor.js';
import { TrainError } from '../errors.js';
import { batchSource } from './batch-source.js';
import { decodeCheckpoint, encodeCheckpoint, type TrainCheckpoint } from './checkpoint.js';
import { assertSameRun } from './checkpoint-header.js';
import { classWeightsFor } from './class-weights.js';
import { INITIAL_EARLY_STOPPING, observeEpoch, type EarlyStoppingState } from './early-stopping.js';
import { FusedHeadGradients } from './fused-gradients.js';
import { computeGradients } from './gradients.js';
import { createHead, headFromParameters, headFromValues, headParameters, parameterShapes, validateHeadSpec, type Head, type HeadSpec } from './head.js';
import { Optimizer } from './optimizer.js';
import { predictProbabilities } from './predict.js';
import { headProducts, type Products } from './products.js';
import { learningRateAt } from './schedule.js';
import { deriveSeed, SEED_PURPOSE } from './seeds.js';
import { resolveTrainOptions, type EpochRecord, type ResolvedTrainOptions, type RunOptions, type TrainOptions } from './train-options.js';
import { validationMetrics } from './validation-metrics.js';

/** Validation metrics the trainer computes itself (validation-metrics.ts). */
const BUILT_IN_METRICS: readonly string[] = ['loss', 'accuracy'];

/** Features [rows, inputDim] (row-major) and one label per row in [0, classes), or −1 for an unlabelled row (ignored by the loss). */
export interface LabeledFeatures {
  readonly features: Float32Array;
  readonly labels: Int32Array;
  /**
   * Sample weight per row, ≥ 0 (default all 1): row r counts s_r times in the training loss, e.g. a
   * mixup/cutmix copy as two rows (label a, λ) and (label b, 1 − λ). Validation ignores them.
   */
  readonly weights?: Float32Array;
}

/** `validation` as features with labels; checkpoints are read by `decodeCheckpoint`. */
export interface FitOptions extends RunOptions<LabeledFeatures> {
  /** On a CPU device: run the matrix products here (ONNX Runtime's MLAS) instead of the float64 reference kernel. */
  readonly fastMatmul?: FastMatmul;
  /** On a CPU device: each step's forward and backward pass as one ONNX Runtime graph (fused-gradients.ts). */
  readonly onnxRuntime?: OnnxRuntime;
}

export interface TrainResult {
  /** The trained head on the host: the best epoch's parameters when early stopping watched a validation set, else the last. */
  readonly head: Head;
  /** Epochs completed (including those before a resume). */
  readonly epochs: number;
  /** 1-based epoch whose parameters `head` holds. */
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly history: readonly EpochRecord[];
}

/**
 * Trains a softmax or MLP head over fixed features on a Device: seeded shuffling into
 * mini-batches, weighted and label-smoothed cross-entropy, SGD/Adam/AdamW with a warm-up
 * schedule and gradient clipping, validation and early stopping, a checkpoint per epoch.
 * Parameters, gradients and optimizer state stay on the device; per step only the batch indices
 * go up, and only reported losses come back.
 */
export class Trainer {
  readonly device: Device;
  readonly spec: HeadSpec;
  readonly options: ResolvedTrainOptions;

  constructor(device: Device, spec: HeadSpec, options: TrainOptions) {
    validateHeadSpec(spec);
    this.device = device;
    this.spec = spec;
    this.options = resolveTrainOptions(options);
  }

  async fit(train: LabeledFeatures, fit: FitOptions = {}): Promise<TrainResult> {
    const { device, spec, options } = this;
    const rows = checkData('train', train, spec);
    if (fit.validation) checkData('validation', fit.validation, spec);
    const resumed = fit.resumeFrom ? this.#resume(fit.resumeFrom) : null;
    const watching = options.earlyStopping.enabled && fit.validation !== undefined;
    if (watching && !fit.evaluate && !BUILT_IN_METRICS.includes(options.earlyStopping.metric)) {
      throw new TrainError('TRAIN_METRIC_UNAVAILABLE', `early stopping watches "${options.earlyStopping.metric}", but without an evaluate callback validation gives only: ${BUILT_IN_METRICS.join(', ')}`);
    }

    const batchSize = Math.min(options.batchSize, rows);
    const batches = Math.ceil(rows / batchSize);
    const totalSteps = options.epochs * batches;
    const classWeights = classWeightsFor(options.classWeights, train.labels, spec.classes, train.weights);
    const decay = parameterShapes(spec).map((shape) => shape.length === 2); // weight decay on weights, not biases
    const hidden = spec.head === 'mlp' ? spec.hidden.length : 0;
    const products = headProducts(device, fit.fastMatmul);
    const fused = device.backend === 'cpu' && fit.onnxRuntime ? await FusedHeadGradients.create(fit.onnxRuntime, device, spec, options.labelSmoothing) : null;

    const source = batchSource(device, train.features, train.labels, spec.inputDim, undefined, train.weights);
    const weights = device.upload(Tensor.cpu('f32', [spec.classes], classWeights));
    let parameters = headParameters(resumed ? headFromValues(spec, resumed.parameters) : createHead(spec, options.seed)).map((t) => device.upload(t));
    const optimizer = resumed
      ? new Optimizer(device, options.optimizer, resumed.optimizerState.map((slots, i) => slots.map((data) => device.upload(Tensor.cpu('f32', parameters[i]!.shape, data)))), resumed.optimizerSteps)
      : Optimizer.create(device, options.optimizer, parameters);

    let epoch = resumed?.epoch ?? 0;
    let stopping: EarlyStoppingState = resumed?.earlyStopping ?? INITIAL_EARLY_STOPPING;
    let best: Float32Array[] | null = resumed?.best ? [...resumed.best] : null;
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
        let lossSum: Tensor | null = null;
        let lr = 0;
        for (let b = 0; b < batches; b++) {
          if (fit.signal?.aborted) throw fit.signal.reason ?? new Error('training aborted');
          const step = optimizer.steps;
          const indices = order.subarray(b * batchSize, Math.min(rows, (b + 1) * batchSize));
          lr = learningRateAt(options.schedule, options.optimizer.lr, step, batches, options.epochs);
          const { x, labels, weights: rowWeights } = await source.batch(indices);
          const stepped = await this.#step(optimizer, parameters, decay, {
            x,
            labels,
            ...(rowWeights ? { rowWeights } : {}),
            weights,
            scale: inverseWeightSum(indices, train.labels, classWeights, train.weights),
            lr,
            dropoutSeeds: Array.from({ length: hidden }, (_, l) => deriveSeed(options.seed, SEED_PURPOSE.dropout, step, l)),
            products,
            fused,
          });
          parameters = stepped.parameters;
          const batchLoss = stepped.loss;
          stepsThisRun++;
          const previous: Tensor | null = lossSum;
          lossSum = previous ? (await device.run(add, { a: previous, b: batchLoss }, {})).out : batchLoss;
          if (fit.onProgress && progressEvery > 0 && ((b + 1) % progressEvery === 0 || b + 1 === batches)) {
            const loss = (await device.read(batchLoss))[0]!;
            fit.onProgress({ kind: 'batch', epoch, epochs: options.epochs, batch: b + 1, batches, step: optimizer.steps, totalSteps, lr, loss, elapsedMs: performance.now() - started, stepsThisRun });
          }
          if (previous) {
            previous.dispose();
            batchLoss.dispose();
          }
        }
        const trainLoss = (await device.read(lossSum!))[0]! / batches;
        lossSum!.dispose();

        let metrics: Record<string, number> = {};
        let improved = false;
        if (fit.validation) {
          const head = headFromParameters(spec, parameters);
          const probabilities = await predictProbabilities(device, head, fit.validation.features, { products });
          metrics = { ...validationMetrics(probabilities, fit.validation.labels, spec.classes), ...(fit.evaluate?.(probabilities, fit.validation.labels, spec.classes) ?? {}) };
        }
        if (watching) {
          const value = metrics[options.earlyStopping.metric];
          if (value === undefined) {
            throw new TrainError('TRAIN_METRIC_UNAVAILABLE', `early stopping watches "${options.earlyStopping.metric}", but validation gives only: ${Object.keys(metrics).join(', ')} (pass an evaluate callback that computes it)`);
          }
          const observed = observeEpoch(options.earlyStopping, stopping, value, epoch);
          stopping = observed.state;
          improved = observed.improved;
          stopped = observed.stop;
          if (improved) best = await readAll(device, parameters);
        }
        const record: EpochRecord = { epoch, trainLoss, lr, metrics, seconds: (performance.now() - epochStart) / 1000 };
        history.push(record);
        fit.onProgress?.({ kind: 'epoch', epoch, epochs: options.epochs, batch: batches, batches, step: optimizer.steps, totalSteps, lr, loss: trainLoss, metrics, elapsedMs: performance.now() - started, stepsThisRun });
        if (fit.onCheckpoint) {
          const checkpoint = encodeCheckpoint({
            spec,
            options,
            epoch,
            stopped,
            optimizerSteps: optimizer.steps,
            earlyStopping: stopping,
            history,
            parameters: await readAll(device, parameters),
            optimizerState: await Promise.all(optimizer.state.map((slots) => readAll(device, slots))),
            best,
          });
          await fit.onCheckpoint(checkpoint, { epoch, improved });
        }
      }
      const useBest = watching && best !== null;
      const final = useBest ? best! : await readAll(device, parameters);
      return {
        head: headFromValues(spec, final),
        epochs: epoch,
        bestEpoch: useBest ? stopping.bestEpoch : epoch,
        stoppedEarly: stopped,
        history,
      };
    } finally {
      optimizer.dispose();
      source.dispose();
      await fused?.release();
      for (const t of [...parameters, weights]) if (t.location === 'gpu') t.dispose();
    }
  }

  /** One optimizer step on a batch: forward, backward, update. Returns the new parameters and the batch loss [1]; frees the batch. */
  async #step(
    optimizer: Optimizer,
    parameters: Tensor[],
    decay: readonly boolean[],
    batch: { x: Tensor; labels: Tensor; rowWeights?: Tensor; weights: Tensor; scale: number; lr: number; dropoutSeeds: readonly number[]; products: Products; fused: FusedHeadGradients | null },
  ): Promise<{ parameters: Tensor[]; loss: Tensor }> {
    const { device, spec, options } = this;
    const head = headFromParameters(spec, parameters);
    const loss = { classWeights: batch.weights, labelSmoothing: options.labelSmoothing, scale: batch.scale, ...(batch.rowWeights ? { rowWeights: batch.rowWeights } : {}) };
    const gradients = batch.fused
      ? await batch.fused.compute(head, batch.x, batch.labels, loss, batch.dropoutSeeds)
      : await computeGradients(device, head, batch.x, batch.labels, loss, batch.dropoutSeeds, batch.products);
    const grads = gradients.layers.flatMap((layer) => [layer.weight, layer.bias]);
    const updated = await optimizer.step(parameters, grads, { lr: batch.lr, maxNorm: options.gradientClip, decay });
    const { out: batchLoss } = await device.run(reduce, { x: gradients.rowLosses }, { op: 'sum', axis: 0, keepDims: true });
    for (const t of [...grads, gradients.rowLosses, batch.x, batch.labels, ...(batch.rowWeights ? [batch.rowWeights] : [])]) t.dispose();
    return { parameters: updated, loss: batchLoss };
  }

  #resume(bytes: Uint8Array): TrainCheckpoint {
    const checkpoint = decodeCheckpoint(bytes);
    assertSameRun(checkpoint, this.spec, this.options, 'head');
    return checkpoint;
  }
}

/** Convenience: `new Trainer(device, spec, options).fit(train, fit)`. */
export function trainHead(device: Device, spec: HeadSpec, options: TrainOptions, train: LabeledFeatures, fit?: FitOptions): Promise<TrainResult> {
  return new Trainer(device, spec, options).fit(train, fit);
}

function checkData(what: string, data: LabeledFeatures, spec: HeadSpec): number {
  const bad = (message: string) => new TrainError('TRAIN_INVALID_DATA', `${what} data: ${message}`);
  if (!(data?.features instanceof Float32Array) || !(data.labels instanceof Int32Array)) throw bad('features must be a Float32Array and labels an Int32Array');
  const rows = data.labels.length;
  if (rows === 0) throw bad('there are no rows');
  if (data.features.length !== rows * spec.inputDim) {
    throw bad(`features hold ${data.features.length} values, but ${rows} labels × inputDim ${spec.inputDim} = ${rows * spec.inputDim}`);
  }
  for (let r = 0; r < rows; r++) {
    const y = data.labels[r]!;
    if (y < -1 || y >= spec.classes) throw bad(`label ${y} of row ${r} is outside [0, ${spec.classes - 1}] (or −1 for unlabelled)`);
  }
  if (data.weights !== undefined) {
    if (!(data.weights instanceof Float32Array) || data.weights.length !== rows) throw bad(`weights must be a Float32Array of ${rows} values, one per row`);
    const r = data.weights.findIndex((w) => !(w >= 0 && Number.isFinite(w)));
    if (r >= 0) throw bad(`weight ${data.weights[r]} of row ${r} must be finite and ≥ 0`);
  }
  return rows;
}

/** A permutation of 0..n−1 (Fisher–Yates) from a seed. */
export function shuffledRows(n: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** 1 / Σ (row weight × class weight of each row's label), so the batch loss is the weighted mean; 0 when no row counts. */
function inverseWeightSum(indices: Int32Array, labels: Int32Array, classWeights: Float32Array, rowWeights?: Float32Array): number {
  let sum = 0;
  for (const row of indices) {
    const y = labels[row]!;
    if (y >= 0) sum += (rowWeights ? rowWeights[row]! : 1) * classWeights[y]!;
  }
  return sum > 0 ? 1 / sum : 0;
}

async function readAll(device: Device, tensors: readonly Tensor[]): Promise<Float32Array[]> {
  return Promise.all(tensors.map(async (t) => (await device.read(t)).slice() as Float32Array));
}
