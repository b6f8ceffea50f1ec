import type { Device } from '../../compute/device.js';
import { concatRows } from '../../compute/kernels/concat-rows/concat-rows.js';
import { softmaxCrossEntropy } from '../../compute/kernels/softmax-cross-entropy/softmax-cross-entropy.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { TrainError } from '../../errors.js';
import type { AugmentConfig } from '../../pipeline/augment-batch.js';
import type { CnnImages } from '../cnn/cnn-batches.js';
import { initCnnValues, type CnnValues } from '../cnn/cnn-parameters.js';
import type { CnnSpec } from '../cnn/cnn-spec.js';
import { CnnTapeNetwork } from '../cnn/cnn-webgpu-network.js';
import { softmaxRows } from '../cnn/cnn-trainer.js';
import { augmentedViews } from '../contrastive/augmented-views.js';
import { applyTapeGradients } from '../contrastive/tape-update.js';
import { Optimizer, validateOptimizer, type OptimizerOptions } from '../optimizer.js';
import { deriveSeed, SEED_PURPOSE } from '../seeds.js';
import { forwardContext } from '../tape/layer.js';
import { Tape } from '../tape/tape.js';
import { shuffledRows } from '../trainer.js';
import { fixMatchTargets } from './fixmatch-targets.js';

export interface FixMatchOptions {
  /** τ: the weak view's top-class probability an unlabelled image needs to train. */
  readonly threshold: number;
  /** λ: weight of the unlabelled loss. */
  readonly weight: number;
  /** μ: unlabelled images per labelled image in a step. */
  readonly ratio: number;
  readonly weak: AugmentConfig;
  readonly strong: AugmentConfig;
  /** Passes over the unlabelled pool (the labelled images cycle as often as they must). */
  readonly epochs: number;
  /** Labelled images per step (B). */
  readonly batchSize: number;
  readonly optimizer: OptimizerOptions;
  readonly seed: number;
  /** Start from these values (e.g. a contrastive pre-training's) instead of the seed's initialisation. */
  readonly initial?: CnnValues;
}

export interface FixMatchEpoch {
  readonly epoch: number;
  readonly labelledLoss: number;
  readonly unlabelledLoss: number;
  /** Share of unlabelled images whose weak view passed τ. */
  readonly maskRate: number;
}

export interface FixMatchResult {
  /** The CNN's values (its layout): embedder, running statistics and classifier. */
  readonly values: Map<string, Float32Array>;
  readonly history: readonly FixMatchEpoch[];
}

/**
 * FixMatch semi-supervised training of a CNN on the Device through the tape: per step, B labelled
 * images (weak view) and μB unlabelled images (a weak and a strong view, made by `augment-images`)
 * in one forward pass (batch norm over all of them, as the paper interleaves them); the weak
 * views' predictions choose pseudo-labels above τ (`fixMatchTargets`), the strong views learn
 * them with weight λ beside the labelled cross-entropy; backward and an optimizer step. Seeded.
 */
export async function trainFixMatch(device: Device, spec: CnnSpec, labelled: CnnImages, unlabelled: Float32Array, options: FixMatchOptions, { onEpoch, signal }: { onEpoch?: (epoch: FixMatchEpoch) => void | Promise<void>; signal?: AbortSignal } = {}): Promise<FixMatchResult> {
  validateFixMatchOptions(options);
  const size = spec.inputChannels * spec.height * spec.width;
  const item = [spec.inputChannels, spec.height, spec.width] as const;
  const labelledRows = Int32Array.from(labelled.labels.keys()).filter((r) => labelled.labels[r]! >= 0);
  const poolRows = unlabelled.length / size;
  if (labelledRows.length === 0) throw new TrainError('TRAIN_INVALID_DATA', 'FixMatch needs labelled images, got none');
  if (!Number.isInteger(poolRows) || poolRows === 0) throw new TrainError('TRAIN_INVALID_DATA', `FixMatch needs unlabelled images of ${size} values; got ${unlabelled.length} values`);
  const network = new CnnTapeNetwork(spec);
  network.load(device, options.initial ?? initCnnValues(spec, options.seed));
  const parameters = network.parameters();
  const optimizer = Optimizer.create(device, options.optimizer, parameters.map((p) => p.value));
  const b = Math.min(options.batchSize, labelledRows.length);
  const mu = Math.min(options.ratio * b, poolRows);
  const steps = Math.ceil(poolRows / mu);
  const history: FixMatchEpoch[] = [];
  let labelledOrder: Int32Array = new Int32Array(0);
  let labelledAt = 0;
  let labelledPass = 0;
  const gather = (from: Float32Array, rows: ArrayLike<number>) => {
    const out = new Float32Array(rows.length * size);
    for (let i = 0; i < rows.length; i++) out.set(from.subarray(rows[i]! * size, (rows[i]! + 1) * size), i * size);
    return out;
  };
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const poolOrder = shuffledRows(poolRows, deriveSeed(options.seed, SEED_PURPOSE.shuffle, epoch, 1));
      let labelledLoss = 0;
      let unlabelledLoss = 0;
      let masked = 0;
      let seen = 0;
      for (let s = 0; s < steps; s++) {
        if (signal?.aborted) throw signal.reason ?? new Error('FixMatch training aborted');
        const picked: number[] = [];
        while (picked.length < b) {
          if (labelledAt === labelledOrder.length) {
            labelledOrder = shuffledRows(labelledRows.length, deriveSeed(options.seed, SEED_PURPOSE.shuffle, ++labelledPass, 2));
            labelledAt = 0;
          }
          picked.push(labelledRows[labelledOrder[labelledAt++]!]!);
        }
        const pool = poolOrder.subarray(s * mu, Math.min(poolRows, (s + 1) * mu));
        const step = optimizer.steps;
        const rng = new Rng(deriveSeed(options.seed, SEED_PURPOSE.augment, step));
        const labelledImages = device.upload(Tensor.cpu('f32', [b, ...item], gather(labelled.images, picked)));
        const poolImages = device.upload(Tensor.cpu('f32', [pool.length, ...item], gather(unlabelled, pool)));
        const labelledViews = await augmentedViews(device, labelledImages, [options.weak], rng);
        const poolViews = await augmentedViews(device, poolImages, [options.weak, options.strong], rng);
        const { out: batch } = await device.run(concatRows, { a: labelledViews, b: poolViews }, {});
        for (const t of [labelledImages, poolImages, labelledViews, poolViews]) t.dispose();

        const tape = new Tape(device);
        const ctx = forwardContext(device, { training: true, tape, seed: deriveSeed(options.seed, SEED_PURPOSE.dropout, step) });
        const { logits } = await network.forward(ctx, batch);
        const all = (await device.read(logits)) as Float32Array;
        const weak = softmaxRows(all.subarray(b * spec.classes, (b + pool.length) * spec.classes), spec.classes);
        const targets = fixMatchTargets(Int32Array.from(picked, (r) => labelled.labels[r]!), weak, spec.classes, options);
        const upload = (t: Tensor) => device.upload(t);
        const inputs = { labels: upload(Tensor.cpu('i32', [targets.labels.length], targets.labels)), weights: upload(Tensor.cpu('f32', [spec.classes], new Float32Array(spec.classes).fill(1))), rowWeights: upload(Tensor.cpu('f32', [targets.rowWeights.length], targets.rowWeights)) };
        const { grad, loss } = await device.run(softmaxCrossEntropy, { logits, ...inputs }, {});
        const rowLosses = (await device.read(loss)) as Float32Array;
        for (let r = 0; r < rowLosses.length; r++) if (r < b) labelledLoss += rowLosses[r]!; else unlabelledLoss += rowLosses[r]!;
        const { parameters: gradients } = await tape.backward(logits, grad);
        for (const t of [grad, loss, logits, batch, ...Object.values(inputs)]) t.dispose();
        await applyTapeGradients(optimizer, parameters, gradients, options.optimizer.lr);
        masked += targets.masked;
        seen += pool.length;
      }
      const record = { epoch, labelledLoss: labelledLoss / steps, unlabelledLoss: unlabelledLoss / steps, maskRate: masked / seen };
      history.push(record);
      await onEpoch?.(record);
    }
    return { values: await network.values(device), history };
  } finally {
    optimizer.dispose();
  }
}

export function validateFixMatchOptions(options: FixMatchOptions): void {
  const bad = (message: string) => new TrainError('TRAIN_INVALID_OPTIONS', `FixMatch: ${message}`);
  if (!(options.threshold > 0 && options.threshold <= 1)) throw bad(`threshold ${options.threshold} must be in (0, 1]`);
  if (!(options.weight >= 0) || !Number.isFinite(options.weight)) throw bad(`weight ${options.weight} must be a finite number ≥ 0`);
  if (!Number.isInteger(options.ratio) || options.ratio < 1) throw bad(`ratio ${options.ratio} must be a positive integer`);
  if (!Number.isInteger(options.epochs) || options.epochs < 1) throw bad(`epochs ${options.epochs} must be a positive integer`);
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw bad(`batchSize ${options.batchSize} must be a positive integer`);
  validateOptimizer(options.optimizer);
}
