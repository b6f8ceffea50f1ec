import type { Device } from '../../compute/device.js';
import { Rng } from '../../compute/random.js';
import { Tensor } from '../../compute/tensor.js';
import { TrainError } from '../../errors.js';
import type { AugmentConfig } from '../../pipeline/augment-batch.js';
import type { CnnImages } from '../cnn/cnn-batches.js';
import { initCnnValues, type CnnValues } from '../cnn/cnn-parameters.js';
import { planCnn, type CnnSpec } from '../cnn/cnn-spec.js';
import { CnnTapeNetwork } from '../cnn/cnn-webgpu-network.js';
import { Optimizer, validateOptimizer, type OptimizerOptions } from '../optimizer.js';
import { deriveSeed, SEED_PURPOSE } from '../seeds.js';
import { ActivationLayer } from '../tape/activation-layer.js';
import { BatchNormLayer } from '../tape/batch-norm-layer.js';
import { forwardContext } from '../tape/layer.js';
import { LinearLayer } from '../tape/linear-layer.js';
import { Sequential } from '../tape/sequential.js';
import { Tape } from '../tape/tape.js';
import { shuffledRows } from '../trainer.js';
import { augmentedViews } from './augmented-views.js';
import { ntXentLoss } from './nt-xent-loss.js';
import { applyTapeGradients } from './tape-update.js';

export const CONTRASTIVE_METHODS = ['simclr', 'supcon'] as const;
export type ContrastiveMethod = (typeof CONTRASTIVE_METHODS)[number];

export interface ContrastivePretrainOptions {
  /** simclr: the two views of an image are each other's positive; supcon: every view of the same class is (labelled rows only). */
  readonly method: ContrastiveMethod;
  readonly epochs: number;
  /** Images per step (each gives two views, so the loss sees 2·batchSize rows). */
  readonly batchSize: number;
  /** NT-Xent's τ. */
  readonly temperature: number;
  /** Width of the projection head's output (BN → linear → BN → ReLU → linear to projectionDim; dropped after pre-training); 0: the loss sees the batch-normalised embedding itself. */
  readonly projectionDim: number;
  readonly optimizer: OptimizerOptions;
  /** The augmentation of each of the two views. */
  readonly views: readonly [AugmentConfig, AugmentConfig];
  readonly seed: number;
  /** Start from these values instead of the seed's initialisation. */
  readonly initial?: CnnValues;
}

export interface ContrastivePretrainResult {
  /** The CNN's values (its layout): the pre-trained embedder and running statistics; the classifier as initialised. */
  readonly values: Map<string, Float32Array>;
  /** Mean contrastive loss per epoch. */
  readonly losses: readonly number[];
}

/**
 * Contrastive pre-training of a CNN's embedder on the Device through the tape (SimCLR, Chen et
 * al. 2020; supervised-contrastive, Khosla et al. 2020): per step, two augmented views of each
 * image of the batch (made by `augment-images` on the Device), the embedder and a projection MLP
 * on all 2·batch views at once (batch norm over both), NT-Xent on the L2-normalised projections,
 * the backward pass and an optimizer step. Seeded: the same options give the same values.
 */
export async function pretrainContrastive(device: Device, spec: CnnSpec, data: CnnImages, options: ContrastivePretrainOptions, { onEpoch, signal }: { onEpoch?: (epoch: number, loss: number) => void | Promise<void>; signal?: AbortSignal } = {}): Promise<ContrastivePretrainResult> {
  validatePretrainOptions(options);
  const size = spec.inputChannels * spec.height * spec.width;
  const usable = Int32Array.from(data.labels.keys()).filter((r) => options.method === 'simclr' || data.labels[r]! >= 0);
  if (usable.length < 2) throw new TrainError('TRAIN_INVALID_DATA', `contrastive pre-training (${options.method}) needs at least 2 ${options.method === 'supcon' ? 'labelled ' : ''}images, got ${usable.length}`);
  if (data.images.length !== data.labels.length * size) throw new TrainError('TRAIN_INVALID_DATA', `contrastive pre-training: ${data.images.length} values are not ${data.labels.length} images of ${size}`);

  const network = new CnnTapeNetwork(spec);
  network.load(device, options.initial ?? initCnnValues(spec, options.seed));
  const dim = planCnn(spec).embeddingDim;
  // Batch norm first: after ReLU and global pooling every image's embedding sits near the same
  // positive mean, so unnormalised projections start with all cosines ≈ 1 and the loss on a plateau.
  const projection = new Sequential('projection', [
    new BatchNormLayer('projection.bn0', dim),
    ...(options.projectionDim === 0
      ? []
      : [
          new LinearLayer('projection.0', dim, dim, deriveSeed(options.seed, SEED_PURPOSE.init, 1)),
          new BatchNormLayer('projection.bn1', dim),
          new ActivationLayer('projection.relu', 'relu'),
          new LinearLayer('projection.2', dim, options.projectionDim, deriveSeed(options.seed, SEED_PURPOSE.init, 2)),
        ]),
  ]);
  const parameters = [...network.body.parameters(), ...projection.parameters()];
  const optimizer = Optimizer.create(device, options.optimizer, parameters.map((p) => p.value));
  const batchSize = Math.min(options.batchSize, usable.length);
  // A batch of one image has no negatives: the last partial batch joins the one before.
  const batches = Math.max(1, Math.floor(usable.length / batchSize));
  const losses: number[] = [];
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const order = shuffledRows(usable.length, deriveSeed(options.seed, SEED_PURPOSE.shuffle, epoch));
      let total = 0;
      for (let b = 0; b < batches; b++) {
        if (signal?.aborted) throw signal.reason ?? new Error('pre-training aborted');
        const end = b === batches - 1 ? usable.length : (b + 1) * batchSize;
        const rows = Array.from(order.subarray(b * batchSize, end), (k) => usable[k]!);
        const n = rows.length;
        const x = new Float32Array(n * size);
        rows.forEach((row, i) => x.set(data.images.subarray(row * size, (row + 1) * size), i * size));
        const labels = new Int32Array(2 * n);
        rows.forEach((row, i) => (labels[i] = labels[n + i] = options.method === 'simclr' ? i : data.labels[row]!));
        const step = optimizer.steps;
        const images = device.upload(Tensor.cpu('f32', [n, spec.inputChannels, spec.height, spec.width], x));
        const views = await augmentedViews(device, images, options.views, new Rng(deriveSeed(options.seed, SEED_PURPOSE.augment, step)));
        images.dispose();
        const tape = new Tape(device);
        const ctx = forwardContext(device, { training: true, tape, seed: deriveSeed(options.seed, SEED_PURPOSE.dropout, step) });
        const projected = await projection.forward(ctx, await network.body.forward(ctx, views));
        // Without the MLP the projection is the pooled [2n, D, 1, 1]: the loss reads it as rows.
        const { loss, gradient } = await ntXentLoss(device, projected.reshape([2 * n, projected.size / (2 * n)]), labels, options.temperature);
        const { parameters: gradients } = await tape.backward(projected, gradient.reshape(projected.shape));
        for (const t of [gradient, projected, views]) t.dispose();
        await applyTapeGradients(optimizer, parameters, gradients, options.optimizer.lr);
        total += loss;
      }
      losses.push(total / batches);
      await onEpoch?.(epoch, total / batches);
    }
    return { values: await network.values(device), losses };
  } finally {
    optimizer.dispose();
  }
}

export function validatePretrainOptions(options: ContrastivePretrainOptions): void {
  const bad = (message: string) => new TrainError('TRAIN_INVALID_OPTIONS', `contrastive pre-training: ${message}`);
  if (!CONTRASTIVE_METHODS.includes(options.method)) throw bad(`method "${options.method}" is not one of ${CONTRASTIVE_METHODS.join(', ')}`);
  if (!Number.isInteger(options.epochs) || options.epochs < 1) throw bad(`epochs ${options.epochs} must be a positive integer`);
  if (!Number.isInteger(options.batchSize) || options.batchSize < 2) throw bad(`batchSize ${options.batchSize} must be an integer ≥ 2 (the other images are the negatives)`);
  if (!(options.temperature > 0)) throw bad(`temperature ${options.temperature} must be > 0`);
  if (!Number.isInteger(options.projectionDim) || options.projectionDim < 0) throw bad(`projectionDim ${options.projectionDim} must be an integer ≥ 0`);
  validateOptimizer(options.optimizer);
}
