import type { Device } from '../../compute/device.js';
import { softmaxCrossEntropy } from '../../compute/kernels/softmax-cross-entropy/softmax-cross-entropy.js';
import { Tensor } from '../../compute/tensor.js';
import { TrainError } from '../../errors.js';
import { gatherBatch, inverseBatchWeight, type CnnImages } from '../cnn/cnn-batches.js';
import type { CnnBatch } from '../cnn/cnn-sessions.js';
import { softmaxRows } from '../cnn/cnn-trainer.js';
import { INITIAL_EARLY_STOPPING, observeEpoch, type EarlyStoppingOptions, type EarlyStoppingState } from '../early-stopping.js';
import type { Head } from '../head.js';
import type { ImportedGraph } from '../import/imported-graph.js';
import { Optimizer, type OptimizerKind } from '../optimizer.js';
import { deriveSeed, SEED_PURPOSE } from '../seeds.js';
import { forwardContext, type Parameter } from '../tape/layer.js';
import { Sequential } from '../tape/sequential.js';
import { Tape } from '../tape/tape.js';
import type { EpochRecord } from '../train-options.js';
import { shuffledRows } from '../trainer.js';
import { validationMetrics } from '../validation-metrics.js';
import { finetuneHeadLayers, hostHead, type FinetuneHeadSpec } from './finetune-head.js';
import { readFinetuneState, writeFinetuneState, type FinetuneState } from './finetune-state.js';

export interface FinetuneSettings {
  /** Blocks trained with the head, counted from the output; the others stay frozen (batch norm on its running statistics). */
  readonly unfreeze: number;
  /** Learning rate of the unfrozen blocks. */
  readonly lr: number;
  /** Learning rate of the head. */
  readonly headLr: number;
  readonly optimizer: OptimizerKind;
  readonly weightDecay: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly labelSmoothing: number;
  readonly seed: number;
  readonly classes: number;
  readonly head: FinetuneHeadSpec;
  /** Stop when the validation metric stops improving, and keep the best epoch's values (needs `validation`). */
  readonly earlyStopping?: EarlyStoppingOptions & { readonly enabled: boolean };
}

/** Preprocessed training images [n, ...item] and their labels. */
export interface FinetuneData {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly item: readonly [number, number, number];
}

export interface FinetuneFitOptions {
  /** Scored after every epoch (batch norm on running statistics, no dropout); early stopping watches it. */
  readonly validation?: CnnImages;
  /** More validation metrics, merged over the built-in loss and accuracy. */
  readonly evaluate?: (probabilities: Float32Array, labels: Int32Array, classes: number) => Record<string, number>;
  /** Per-batch augmentation (e.g. `cnnBatchAugmentation`), given the batch and the optimizer step. */
  readonly augment?: (batch: CnnBatch, step: number) => Promise<CnnBatch>;
  readonly onEpoch?: (record: EpochRecord) => void;
}

export interface FinetuneResult {
  /** The trained head on the host, over the backbone's embedding. */
  readonly head: Head;
  /** One record per epoch run: mean batch loss and validation metrics. */
  readonly history: readonly EpochRecord[];
  readonly epochs: number;
  /** The epoch whose values the network and head hold: the best one when early stopping watched, else the last. */
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  /** The backbone's parameters trained, and those left as they were. */
  readonly trained: string[];
  readonly frozen: string[];
}

const BUILT_IN_METRICS: readonly string[] = ['loss', 'accuracy'];

/** The backbone cut before its last `unfreeze` blocks: the frozen part (null when every block trains) and the trained one. */
export function finetuneParts(graph: ImportedGraph, unfreeze: number): { frozen: ImportedGraph | null; trained: ImportedGraph } {
  const blocks = graph.blocks();
  if (!Number.isInteger(unfreeze) || unfreeze < 1 || unfreeze > blocks.length) {
    throw new TrainError('TRAIN_INVALID_OPTIONS', `finetune unfreeze is ${unfreeze}, but the backbone has ${blocks.length} blocks (${blocks.map((b) => `${b.kind} at ${b.firstNode}`).join(', ')}); expected 1..${blocks.length}`);
  }
  const cut = blocks[blocks.length - unfreeze]!.input;
  if (cut === graph.input) return { frozen: null, trained: graph };
  const { before, after } = graph.split(cut);
  return { frozen: before, trained: after };
}

/**
 * Fine-tunes an imported backbone on the tape, on any Device (WebGPU's kernels or their CPU
 * references): each batch — augmented first when `augment` is given — runs the frozen blocks for
 * inference (no tape), then the unfrozen blocks and the head recorded, weighted softmax
 * cross-entropy on the Device, one backward pass, and the optimizer's step on the unfrozen
 * parameters (at `lr`) and the head's (at `headLr`). After each epoch the validation split is
 * scored and early stopping observes it; when it watched, the best epoch's values are put back.
 * The backbone's parameters are updated in place, so `exportImportedNetwork` writes them into its
 * ONNX model.
 */
export async function finetuneNetwork(device: Device, graph: ImportedGraph, data: FinetuneData, settings: FinetuneSettings, fit: FinetuneFitOptions = {}): Promise<FinetuneResult> {
  const { frozen, trained } = finetuneParts(graph, settings.unfreeze);
  const stopping = settings.earlyStopping;
  const watching = stopping !== undefined && stopping.enabled && fit.validation !== undefined && fit.validation.labels.length > 0;
  if (watching && !fit.evaluate && !BUILT_IN_METRICS.includes(stopping.metric)) {
    throw new TrainError('TRAIN_METRIC_UNAVAILABLE', `early stopping watches "${stopping.metric}", but without an evaluate callback validation gives only: ${BUILT_IN_METRICS.join(', ')}`);
  }
  const size = data.item[0] * data.item[1] * data.item[2];
  const rows = data.labels.length;
  const upload = (x: Float32Array) => device.upload(Tensor.cpu('f32', [x.length / size, ...data.item], x));
  const frozenFeatures = async (x: Tensor) => {
    if (!frozen) return x;
    const features = await frozen.forward(forwardContext(device, { training: false }), x);
    x.dispose();
    return features;
  };

  // The embedding's width, from one image through the backbone without updating anything.
  const probe = await frozenFeatures(upload(data.images.slice(0, size)));
  const probeOut = await trained.forward(forwardContext(device, { training: false }), probe);
  const dim = probeOut.size;
  probe.dispose();
  probeOut.dispose();

  const head = finetuneHeadLayers(dim, settings.classes, settings.head, settings.seed);
  const backboneParameters = trained.parameters();
  const headParameters = head.parameters();
  const optimizerOf = (parameters: readonly Parameter[], lr: number) => Optimizer.create(device, { kind: settings.optimizer, lr, weightDecay: settings.weightDecay }, parameters.map((p) => (p.value = device.upload(p.value))));
  const groups = [
    { parameters: backboneParameters, lr: settings.lr, optimizer: optimizerOf(backboneParameters, settings.lr) },
    { parameters: headParameters, lr: settings.headLr, optimizer: optimizerOf(headParameters, settings.headLr) },
  ];
  const network = new Sequential('finetune', [trained, head]);
  const ones = new Float32Array(settings.classes).fill(1);
  const classWeights = device.upload(Tensor.cpu('f32', [settings.classes], ones));
  const batches = Math.ceil(rows / settings.batchSize);
  const history: EpochRecord[] = [];
  let state: EarlyStoppingState = INITIAL_EARLY_STOPPING;
  let best: FinetuneState | null = null;
  let stopped = false;
  try {
    for (let epoch = 1; epoch <= settings.epochs && !stopped; epoch++) {
      const epochStart = performance.now();
      const order = shuffledRows(rows, deriveSeed(settings.seed, SEED_PURPOSE.shuffle, epoch - 1));
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        const step = (epoch - 1) * batches + b;
        const gathered = gatherBatch(data, size, order.subarray(b * settings.batchSize, Math.min(rows, (b + 1) * settings.batchSize)));
        const batch = fit.augment ? await fit.augment(gathered, step) : gathered;
        const n = batch.labels.length;
        const features = await frozenFeatures(upload(batch.x));
        const tape = new Tape(device);
        const logits = await network.forward(forwardContext(device, { training: true, tape, seed: deriveSeed(settings.seed, SEED_PURPOSE.dropout, epoch - 1, b * settings.batchSize) }), features);
        const labels = device.upload(Tensor.cpu('i32', [n], batch.labels));
        const rowWeights = device.upload(Tensor.cpu('f32', [n], batch.rowWeights ?? new Float32Array(n).fill(1)));
        // The weighted mean over the batch's rows: its loss is the sum of the scaled row losses.
        const { grad, loss } = await device.run(softmaxCrossEntropy, { logits, labels, weights: classWeights, rowWeights }, { scale: inverseBatchWeight(batch, ones), labelSmoothing: settings.labelSmoothing });
        lossSum += ((await device.read(loss)) as Float32Array).reduce((a, v) => a + v, 0);
        const { parameters: gradients } = await tape.backward(logits, grad);
        for (const group of groups) {
          const grads = group.parameters.map((p) => gradients.get(p.name) ?? device.upload(Tensor.cpu('f32', p.value.shape)));
          const updated = await group.optimizer.step(
            group.parameters.map((p) => p.value),
            grads,
            { lr: group.lr, decay: group.parameters.map((p) => p.value.shape.length > 1) },
          );
          group.parameters.forEach((p, i) => (p.value = updated[i]!));
          for (const g of grads) g.dispose();
        }
        // Also those of values the model has no initializer for (a MatMul's absent bias): not trained.
        for (const g of gradients.values()) g.dispose();
        for (const t of [logits, labels, rowWeights, grad, loss, features]) t.dispose();
      }
      let metrics: Record<string, number> = {};
      if (fit.validation && fit.validation.labels.length > 0) {
        const probabilities = softmaxRows(await evalLogits(device, frozen, network, fit.validation.images, data.item, settings.batchSize), settings.classes);
        metrics = { ...validationMetrics(probabilities, fit.validation.labels, settings.classes), ...(fit.evaluate?.(probabilities, fit.validation.labels, settings.classes) ?? {}) };
      }
      if (watching) {
        const value = metrics[stopping.metric];
        if (value === undefined) throw new TrainError('TRAIN_METRIC_UNAVAILABLE', `early stopping watches "${stopping.metric}", but validation gives only: ${Object.keys(metrics).join(', ')}`);
        const observed = observeEpoch(stopping, state, value, epoch);
        ({ state, stop: stopped } = observed);
        if (observed.improved) best = await readFinetuneState(device, trained, headParameters);
      }
      const record: EpochRecord = { epoch, trainLoss: lossSum / batches, lr: settings.lr, metrics, seconds: (performance.now() - epochStart) / 1000 };
      history.push(record);
      fit.onEpoch?.(record);
    }
    const useBest = watching && best !== null;
    if (useBest) await writeFinetuneState(device, trained, headParameters, best!);
    return {
      head: await hostHead(device, head, dim, settings.classes, settings.head),
      history,
      epochs: history.length,
      bestEpoch: useBest ? state.bestEpoch : history.length,
      stoppedEarly: stopped,
      trained: backboneParameters.map((p) => p.name),
      frozen: frozen ? frozen.parameters().map((p) => p.name) : [],
    };
  } finally {
    classWeights.dispose();
    for (const group of groups) group.optimizer.dispose();
  }
}

/** Logits [rows, classes] of images through the frozen blocks, the unfrozen ones and the head, for inference, in batches. */
async function evalLogits(device: Device, frozen: ImportedGraph | null, network: Sequential, images: Float32Array, item: readonly [number, number, number], batchSize: number): Promise<Float32Array> {
  const size = item[0] * item[1] * item[2];
  const rows = images.length / size;
  const parts: Float32Array[] = [];
  for (let start = 0; start < rows; start += batchSize) {
    const n = Math.min(batchSize, rows - start);
    const x = device.upload(Tensor.cpu('f32', [n, ...item], images.slice(start * size, (start + n) * size)));
    const ctx = forwardContext(device, { training: false });
    const features = frozen ? await frozen.forward(ctx, x) : x;
    const logits = await network.forward(ctx, features);
    parts.push(Float32Array.from((await device.read(logits)) as Float32Array));
    for (const t of new Set([x, features, logits])) t.dispose();
  }
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}
